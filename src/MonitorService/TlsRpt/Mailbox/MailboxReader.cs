using MailKit;
using MailKit.Net.Imap;
using Microsoft.Extensions.Options;

namespace MonitorService.TlsRpt.Mailbox;

/// <summary>
/// One job run's session with the mailbox: log in, run a pass, and where the server offers IDLE (and TlsRpt:Imap:Idle
/// is on) wait for new mail and run another pass when it comes, until TlsRpt:Imap:IdleFor is up. The wait is bounded so
/// the run ends and the clustered scheduler may hand the next one to any node; without IDLE a run is a single pass.
/// </summary>
public sealed class MailboxReader(
    IOptions<MailboxOptions> options, MailboxConnector connector, MailboxPass pass, TimeProvider time, ILogger<MailboxReader> logger)
{
    private MailboxOptions Imap => options.Value;

    /// <summary>Throws <see cref="MailboxUnavailableException"/> when the server cannot be reached or refuses the login.</summary>
    public async Task<IReadOnlyList<MailboxPassSummary>> ReadAsync(ITlsRptIntake intake, CancellationToken ct)
    {
        var until = time.GetUtcNow() + Imap.IdleFor;
        var passes = new List<MailboxPassSummary>();
        using var client = await connector.ConnectAsync(ct);
        IMailFolder inbox;
        try
        {
            inbox = await client.GetFolderAsync(Imap.Folder, ct);
        }
        catch (FolderNotFoundException e)
        {
            throw new MailboxUnavailableException(MailboxFailureKind.FolderMissing,
                $"{connector.Destination} has no folder {Imap.Folder}. Check TlsRpt:Imap:Folder.", e);
        }
        await inbox.OpenAsync(FolderAccess.ReadWrite, ct);
        var targets = await MailboxFolders.OpenAsync(client, Imap, ct);
        var idle = Imap.Idle && client.Capabilities.HasFlag(ImapCapabilities.Idle);
        while (true)
        {
            var summary = await pass.RunAsync(client, inbox, targets, intake, ct);
            passes.Add(summary);
            if (summary.Handled > 0)
                logger.LogInformation(
                    "TLS-RPT mailbox {Folder}: {Stored} imported, {Duplicate} duplicate, {NotOurs} not about a registered domain, {Invalid} unreadable, {NoReport} without a report, {TooLarge} too large{More}",
                    Imap.Folder, summary.Stored, summary.Duplicate, summary.NotOurs, summary.Invalid, summary.NoReport, summary.TooLarge,
                    summary.MoreWaiting ? "; more waiting" : "");
            var left = until - time.GetUtcNow();
            if (!idle || left <= TimeSpan.Zero)
                break;
            if (!summary.MoreWaiting)
            {
                logger.LogDebug("Waiting in IDLE for new mail in {Folder} for up to {Left}", Imap.Folder, left);
                await IdleAsync(client, inbox, left, ct);
            }
        }
        await client.DisconnectAsync(quit: true, ct);
        return passes;
    }

    /// <summary>Waits in IDLE until the folder's message count changes or <paramref name="limit"/> is up.</summary>
    private async Task IdleAsync(ImapClient client, IMailFolder inbox, TimeSpan limit, CancellationToken ct)
    {
        using var done = new CancellationTokenSource(limit, time);
        void OnCountChanged(object? sender, EventArgs e) => done.Cancel();
        inbox.CountChanged += OnCountChanged;
        try
        {
            await client.IdleAsync(done.Token, ct);
        }
        finally
        {
            inbox.CountChanged -= OnCountChanged;
        }
    }
}
