namespace MonitorService.Storage.Entities;

/// <summary>
/// A bearer token for the JSON API, scoped to one team. Only the SHA-256 of the secret is stored: the secret is shown
/// once when it is created. (A fast hash is right here: the secret is 256 random bits, nothing to brute-force.)
/// </summary>
public sealed class ApiToken
{
    public Guid Id { get; set; }
    public Guid TeamId { get; set; }
    public required string Name { get; set; }
    /// <summary>The first characters of the secret, so people can tell their tokens apart without the secret.</summary>
    public required string Prefix { get; set; }
    /// <summary>SHA-256 of the whole token, lower-case hex.</summary>
    public required string Hash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Who created it: a user's e-mail address, or "cli".</summary>
    public required string CreatedBy { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
