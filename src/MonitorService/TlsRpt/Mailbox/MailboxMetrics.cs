using System.Diagnostics.Metrics;
using MonitorService.Observability;

namespace MonitorService.TlsRpt.Mailbox;

/// <summary>
/// The mailbox intake on the service's meter (exported with the others at <c>/metrics</c>): passes by outcome, so an
/// unreachable server or a refused login shows on a dashboard, and messages by what became of them.
/// </summary>
public sealed class MailboxMetrics
{
    public const string PassesName = "monitor.tlsrpt.mailbox.passes";
    public const string MessagesName = "monitor.tlsrpt.mailbox.messages";

    private readonly Counter<long> _passes;
    private readonly Counter<long> _messages;

    public MailboxMetrics(IMeterFactory meters)
    {
        // The factory hands out one meter per name, so this is the same meter as MonitorMetrics'.
        var meter = meters.Create(MonitorMetrics.MeterName);
        _passes = meter.CreateCounter<long>(PassesName, "{pass}", "Reads of the TLS-RPT mailbox, by outcome (ok, unreachable, login_refused, folder_missing, failed)");
        _messages = meter.CreateCounter<long>(MessagesName, "{message}",
            "Messages read from the TLS-RPT mailbox, by outcome (stored, duplicate, not_ours, no_report, invalid, too_large)");
    }

    public void Pass(string outcome) => _passes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Message(string outcome) => _messages.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
