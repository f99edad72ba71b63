namespace MonitorService.TlsRpt.Mailbox;

/// <summary>What one pass over the folder did.</summary>
public sealed record MailboxPassSummary(int Stored, int Duplicate, int NotOurs, int NoReport, int Invalid, int TooLarge, bool MoreWaiting)
{
    public int Handled => Stored + Duplicate + NotOurs + NoReport + Invalid + TooLarge;
}
