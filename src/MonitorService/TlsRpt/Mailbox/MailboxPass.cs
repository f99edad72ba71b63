using MailKit;
using MailKit.Net.Imap;
using Microsoft.Extensions.Options;
using MimeKit;
using MonitorService.Storage.Entities;

namespace MonitorService.TlsRpt.Mailbox;

/// <summary>
/// One pass over the report folder: the oldest messages first, at most TlsRpt:Imap:MaxMessagesPerPass of them, each
/// handed to the intake and then moved by its outcome. Imported, duplicate and not-ours messages go to the done folder;
/// unparseable ones to the invalid folder (the intake keeps the reason); a message without a report, or over the size
/// limit, stays where it is, logged once. Nothing is deleted: where the server lacks MOVE, the message is copied and only
/// flagged \Deleted in the report folder, never expunged (the mailbox's owner decides that).
/// </summary>
public sealed class MailboxPass(IOptions<MailboxOptions> options, MailboxSkipMarks skipMarks, MailboxMetrics metrics, ILogger<MailboxPass> logger)
{
    private MailboxOptions Imap => options.Value;

    public async Task<MailboxPassSummary> RunAsync(ImapClient client, IMailFolder inbox, MailboxFolders targets, ITlsRptIntake intake, CancellationToken ct)
    {
        var candidates = (await inbox.SearchAsync(MailboxSkipMarks.Candidates, ct))
            .Where(uid => MailboxSkipMarks.TakesKeywords(inbox) || !skipMarks.IsRemembered(inbox, uid))
            .OrderBy(uid => uid.Id)
            .ToList();
        var batch = candidates.Take(Imap.MaxMessagesPerPass).ToList();
        int stored = 0, duplicate = 0, notOurs = 0, noReport = 0, invalid = 0, tooLarge = 0;
        if (batch.Count == 0)
            return new MailboxPassSummary(0, 0, 0, 0, 0, 0, MoreWaiting: false);

        var summaries = await inbox.FetchAsync(batch, MessageSummaryItems.UniqueId | MessageSummaryItems.Size | MessageSummaryItems.Envelope, ct);
        foreach (var summary in summaries.OrderBy(s => s.UniqueId.Id))
        {
            var uid = summary.UniqueId;
            var messageId = summary.Envelope?.MessageId ?? $"uid {uid.Id}";
            if (summary.Size is not { } size || size > Imap.MaxMessageBytes)
            {
                // Not fetched at all: the size the server states is checked before a byte of the message is read.
                logger.LogWarning("Message {MessageId} in {Folder} is {Size} bytes, over TlsRpt:Imap:MaxMessageBytes ({Limit}): left where it is, unread",
                    messageId, Imap.Folder, summary.Size, Imap.MaxMessageBytes);
                await skipMarks.MarkAsync(inbox, uid, ct);
                metrics.Message("too_large");
                tooLarge++;
                continue;
            }

            var message = await inbox.GetMessageAsync(uid, ct);
            var result = await intake.AcceptMessageAsync(message, new TlsRptOrigin(TlsRptSources.Mailbox, message.MessageId ?? messageId), ct);
            switch (result.Outcome)
            {
                case TlsRptIntakeOutcome.Stored:
                    logger.LogInformation("Imported the TLS-RPT report in message {MessageId} (report {ReportId}); moved to {Folder}", messageId, result.StoredReportId, Imap.DoneFolder);
                    await MoveAsync(client, inbox, uid, targets.Done, ct);
                    stored++;
                    break;
                case TlsRptIntakeOutcome.Duplicate:
                case TlsRptIntakeOutcome.NotOurs:
                    logger.LogInformation("Message {MessageId}: {Outcome} ({Reason}); moved to {Folder}", messageId, result.Outcome, result.Reason, Imap.DoneFolder);
                    await MoveAsync(client, inbox, uid, targets.Done, ct);
                    if (result.Outcome == TlsRptIntakeOutcome.Duplicate)
                        duplicate++;
                    else
                        notOurs++;
                    break;
                case TlsRptIntakeOutcome.Invalid:
                    logger.LogWarning("The TLS-RPT report in message {MessageId} could not be read: {Reason}; moved to {Folder}", messageId, result.Reason, Imap.InvalidFolder);
                    await MoveAsync(client, inbox, uid, targets.Invalid, ct);
                    invalid++;
                    break;
                default:
                    logger.LogInformation("Message {MessageId} ({Subject}) in {Folder} holds no TLS-RPT report ({Reason}): left where it is",
                        messageId, summary.Envelope?.Subject, Imap.Folder, result.Reason);
                    await skipMarks.MarkAsync(inbox, uid, ct);
                    noReport++;
                    break;
            }
            metrics.Message(OutcomeName(result.Outcome));
        }
        return new MailboxPassSummary(stored, duplicate, notOurs, noReport, invalid, tooLarge, MoreWaiting: candidates.Count > batch.Count);
    }

    private async Task MoveAsync(ImapClient client, IMailFolder inbox, UniqueId uid, IMailFolder target, CancellationToken ct)
    {
        if (client.Capabilities.HasFlag(ImapCapabilities.Move))
        {
            await inbox.MoveToAsync(uid, target, ct);
            return;
        }
        await inbox.CopyToAsync(uid, target, ct);
        // Flagged, not expunged: EXPUNGE would also remove whatever else someone flagged \Deleted in this folder.
        await inbox.AddFlagsAsync(uid, MessageFlags.Deleted, silent: true, ct);
    }

    private static string OutcomeName(TlsRptIntakeOutcome outcome) => outcome switch
    {
        TlsRptIntakeOutcome.Stored => "stored",
        TlsRptIntakeOutcome.Duplicate => "duplicate",
        TlsRptIntakeOutcome.NotOurs => "not_ours",
        TlsRptIntakeOutcome.Invalid => "invalid",
        _ => "no_report",
    };
}
