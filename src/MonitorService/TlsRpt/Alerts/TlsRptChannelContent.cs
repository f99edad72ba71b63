using MonitorService.Alerts;
using MonitorService.TlsRpt.Views;
using static MonitorService.TlsRpt.Alerts.TlsRptAlertMail;

namespace MonitorService.TlsRpt.Alerts;

/// <summary>
/// A TLS-RPT alert or resolution as the <see cref="AlertContent"/> the alert channels render (Slack, Teams, the generic
/// webhook), so that they need nothing of their own for it: the mail's subject as the headline, one item per reason
/// with its rule's code, the failure rows (as many as the mail shows) as context, the dashboard link. Values from
/// reports (organisations, host names, result types, reason codes: attacker-controlled) are put on one line and cut
/// here as in the mail; the renderers escape them for what each chat app parses.
/// </summary>
public static class TlsRptChannelContent
{
    /// <summary>The items' source: what the webhook's receivers see next to "incident" and "drift".</summary>
    public const string Source = "tlsrpt";

    /// <param name="at">When the alert was raised (the renderers' "checked" time).</param>
    public static AlertContent Alert(TlsRptAlertContent c, DateTimeOffset at) => new(
        c.Domain,
        Headline(c),
        at,
        [.. c.Decision.Reasons.Select(r => new AlertItem(Source, r.Code, c.Decision.Severity, null, Line(r.Text), null, null))],
        [.. c.Failures.Take(MaxRows).Select(Row)],
        [],
        c.DashboardLink);

    public static AlertContent Resolution(TlsRptResolutionContent c, DateTimeOffset at) => new(
        c.Domain,
        Headline(c),
        at,
        [],
        [],
        [.. c.Alerts.Select(a => new AlertItem(Source, TlsRptAlertCodes.Failures, a.Severity, Day(a.Day),
            $"Senders reported {c.Successful} successful and no failed session(s) worth an alert on {Day(c.ClearDay)} (UTC).", null, null, a.AlertedAt))],
        c.DashboardLink);

    private static AlertItem Row(TlsRptFailureRow f)
    {
        var reason = f.FailureReasonCode is { Length: > 0 } code ? $", failure reason \"{Line(code)}\"" : "";
        var explained = f.ExplainedBy is { } finding ? $"explained by our finding {finding}" : "not explained by any of our findings";
        return new AlertItem(Source, TlsRptAlertCodes.FailureDetail, "info", Line(f.ResultType),
            $"{f.Sessions} failed session(s) reported by {Line(f.Organization)}: receiving MX {Line(f.ReceivingMx ?? "-")} ({Line(f.ReceivingIp ?? "-")}), "
            + $"sending MTA {Line(f.SendingMtaIp ?? "-")}{reason}; {explained}.",
            null, null);
    }
}
