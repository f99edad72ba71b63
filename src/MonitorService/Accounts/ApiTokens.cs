using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Accounts;

/// <summary>Creates, checks and revokes team API tokens. Secrets are returned once and stored only as a hash.</summary>
public sealed class ApiTokens(IDbContextFactory<MonitorDbContext> dbFactory, TimeProvider time)
{
    public const string SecretPrefix = "mts_";

    /// <summary>Secrets are 47 characters; anything much longer is not one and is not hashed or looked up.</summary>
    public const int MaxSecretLength = 100;

    /// <summary>Creates a token for the team; the returned secret is never available again.</summary>
    public async Task<(ApiToken Token, string Secret)> CreateAsync(Guid teamId, string name, string createdBy, CancellationToken ct)
    {
        var label = name.Trim();
        if (label.Length is 0 or > 100 || label.Any(char.IsControl))
            throw new AccountRequestException("A token name is 1 to 100 printable characters.");
        var secret = SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = new ApiToken
        {
            Id = Guid.NewGuid(),
            TeamId = teamId,
            Name = label,
            Prefix = secret[..10],
            Hash = HashOf(secret),
            CreatedAt = time.GetUtcNow(),
            CreatedBy = createdBy,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(ct);
        return (token, secret);
    }

    /// <summary>The live token with this secret, or null. Records when it was last used (at most once a minute).</summary>
    public async Task<ApiToken?> FindAsync(string secret, CancellationToken ct)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal) || secret.Length > MaxSecretLength)
            return null;
        var hash = HashOf(secret);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Hash == hash && t.RevokedAt == null, ct);
        var now = time.GetUtcNow();
        if (token is not null && (token.LastUsedAt is null || now - token.LastUsedAt > TimeSpan.FromMinutes(1)))
        {
            token.LastUsedAt = now;
            await db.SaveChangesAsync(ct);
        }
        return token;
    }

    public async Task<IReadOnlyList<ApiToken>> ListAsync(Guid teamId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ApiTokens.AsNoTracking().Where(t => t.TeamId == teamId).OrderByDescending(t => t.CreatedAt).ToListAsync(ct);
    }

    /// <summary>Revokes the team's token; false when the team has no such live token.</summary>
    public async Task<bool> RevokeAsync(Guid teamId, Guid tokenId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow();
        return await db.ApiTokens.Where(t => t.Id == tokenId && t.TeamId == teamId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct) > 0;
    }

    private static string HashOf(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret))).ToLowerInvariant();
}
