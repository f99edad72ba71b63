using Microsoft.EntityFrameworkCore;
using MonitorService.Storage;

namespace MonitorService.Accounts;

/// <summary>Validates and stores a team's alert recipients, least severity and digest schedule.</summary>
public sealed class TeamAlertSettings(IDbContextFactory<MonitorDbContext> dbFactory)
{
    public static readonly string[] Severities = ["error", "warning", "info"];

    /// <summary>Saves the settings; returns the problems instead when any value is refused.</summary>
    public async Task<IReadOnlyList<string>> SaveAsync(
        Guid teamId, IReadOnlyList<string> recipients, string minSeverity, DayOfWeek? digestDay, TimeOnly? digestTime, string timeZone, CancellationToken ct)
    {
        var problems = new List<string>();
        var addresses = new List<string>();
        foreach (var recipient in recipients.Select(r => r.Trim()).Where(r => r.Length > 0))
        {
            if (MimeKit.MailboxAddress.TryParse(recipient, out var mailbox) && mailbox.Address.IndexOf('@', StringComparison.Ordinal) > 0 && !recipient.Any(char.IsControl))
                addresses.Add(mailbox.Address);
            else
                problems.Add($"\"{recipient}\" is not an e-mail address.");
        }
        if (!Severities.Contains(minSeverity))
            problems.Add($"The least severity is one of {string.Join(", ", Severities)}.");
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone.Trim(), out _))
            problems.Add($"\"{timeZone}\" is not a time zone (use an IANA name such as Europe/Berlin).");
        if (problems.Count > 0)
            return problems;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var team = await db.Teams.FirstAsync(t => t.Id == teamId, ct);
        team.AlertRecipients = addresses.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        team.AlertMinSeverity = minSeverity;
        team.DigestDay = digestDay;
        team.DigestTime = digestTime;
        team.DigestTimeZone = timeZone.Trim();
        await db.SaveChangesAsync(ct);
        return [];
    }
}
