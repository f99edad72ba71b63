using System.Text;
using MonitorService.Mail;
using MonitorService.TlsRpt.Views;

namespace MonitorService.TlsRpt.Alerts;

/// <summary>What one TLS-RPT alert or resolution mail says; <see cref="Failures"/> came from reports (attacker-controlled).</summary>
public sealed record TlsRptAlertContent(string Domain, DateOnly Day, AlertDecision Decision, long Successful, long Failed, IReadOnlyList<TlsRptFailureRow> Failures, Uri? DashboardLink);

/// <summary>An alert that a later clear report day resolves: its report day, its severity and when it was sent.</summary>
public sealed record TlsRptResolvedAlert(DateOnly Day, string Severity, DateTimeOffset AlertedAt);

/// <summary>The resolution: the alerts (oldest day first) that a later clear day ends.</summary>
public sealed record TlsRptResolutionContent(string Domain, DateOnly ClearDay, IReadOnlyList<TlsRptResolvedAlert> Alerts, long Successful, Uri? DashboardLink)
{
    public IEnumerable<DateOnly> AlertedDays => Alerts.Select(a => a.Day);
}

/// <summary>
/// Renders TLS-RPT alert and resolution mail. Every value from a report (organisation, host names, reasons) is one line
/// of plain text (<see cref="MailText.HeaderValue"/>: no line breaks or control characters to forge lines with) and
/// HTML-encoded in the HTML body.
/// </summary>
public static class TlsRptAlertMail
{
    public const int MaxRows = 20;

    public static string Subject(TlsRptAlertContent c) => $"[MonitorService] {c.Domain}: {Headline(c)}";

    public static string Subject(TlsRptResolutionContent c) => $"[MonitorService] {c.Domain}: {Headline(c)}";

    /// <summary>The subject without its prefix and domain: the alert channels' headline.</summary>
    public static string Headline(TlsRptAlertContent c) => $"senders reported {c.Failed} failed TLS session(s) on {Day(c.Day)}";

    public static string Headline(TlsRptResolutionContent c) => $"resolved, senders reported no TLS problem on {Day(c.ClearDay)}";

    public static string Text(TlsRptAlertContent c)
    {
        var text = new StringBuilder();
        text.Append(MailText.Plain(Subject(c))).Append("\n\n");
        text.Append($"TLS-RPT reports (RFC 8460) for {c.Domain}, report day {Day(c.Day)} (UTC): {c.Successful} successful and {c.Failed} failed session(s).\n\n");
        foreach (var reason in c.Decision.Reasons)
            text.Append($"[{c.Decision.Severity.ToUpperInvariant()}] ").Append(Line(reason.Text)).Append('\n');
        if (c.Failures.Count > 0)
        {
            text.Append("\nFAILURES (sessions, result type, organisation, receiving MX, explained by)\n");
            foreach (var f in c.Failures.Take(MaxRows))
                text.Append($"  {f.Sessions,8}  {Line(f.ResultType)}  {Line(f.Organization)}  {Line(f.ReceivingMx ?? "-")}  {f.ExplainedBy ?? "unexplained"}\n");
        }
        Footer(text, c.Domain, c.DashboardLink);
        return text.ToString();
    }

    public static string Html(TlsRptAlertContent c)
    {
        var html = Start(Subject(c), $"{c.Domain}: senders reported failed TLS sessions on {Day(c.Day)}");
        html.Append("<p>TLS-RPT reports for ").Append(MailText.Html(c.Domain)).Append(", report day ").Append(Day(c.Day)).Append(" (UTC): ")
            .Append(c.Successful).Append(" successful and ").Append(c.Failed).Append(" failed session(s).</p><ul>");
        foreach (var reason in c.Decision.Reasons)
            html.Append("<li>").Append(MailText.Html(reason.Text)).Append("</li>");
        html.Append("</ul>");
        if (c.Failures.Count > 0)
        {
            html.Append("<table style=\"border-collapse:collapse;\"><tr><th align=\"left\">Sessions</th><th align=\"left\">Result type</th><th align=\"left\">Organisation</th><th align=\"left\">Receiving MX</th><th align=\"left\">Explained by</th></tr>");
            foreach (var f in c.Failures.Take(MaxRows))
                html.Append("<tr><td>").Append(f.Sessions).Append("</td><td>").Append(MailText.Html(f.ResultType)).Append("</td><td>").Append(MailText.Html(f.Organization))
                    .Append("</td><td>").Append(MailText.Html(f.ReceivingMx ?? "-")).Append("</td><td>").Append(MailText.Html(f.ExplainedBy ?? "unexplained")).Append("</td></tr>");
            html.Append("</table>");
        }
        return End(html, c.Domain, c.DashboardLink);
    }

    public static string Text(TlsRptResolutionContent c)
    {
        var text = new StringBuilder();
        text.Append(MailText.Plain(Subject(c))).Append("\n\n");
        text.Append($"Senders reported {c.Successful} successful and no failed session(s) worth an alert for {c.Domain} on {Day(c.ClearDay)} (UTC).\n");
        text.Append($"This resolves the alert(s) of {string.Join(", ", c.AlertedDays.Select(Day))}.\n");
        Footer(text, c.Domain, c.DashboardLink);
        return text.ToString();
    }

    public static string Html(TlsRptResolutionContent c)
    {
        var html = Start(Subject(c), $"{c.Domain}: resolved");
        html.Append("<p>Senders reported ").Append(c.Successful).Append(" successful and no failed session(s) worth an alert for ").Append(MailText.Html(c.Domain))
            .Append(" on ").Append(Day(c.ClearDay)).Append(" (UTC). This resolves the alert(s) of ").Append(string.Join(", ", c.AlertedDays.Select(Day))).Append(".</p>");
        return End(html, c.Domain, c.DashboardLink);
    }

    internal static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A value from a report on one line, without control characters, cut to 200 characters.</summary>
    internal static string Line(string text) => MailText.HeaderValue(text, 200);

    private static StringBuilder Start(string subject, string heading) => new StringBuilder()
        .Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(MailText.Html(subject)).Append("</title></head>")
        .Append("<body style=\"font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222;\">")
        .Append("<h2 style=\"font-size:18px;\">").Append(MailText.Html(heading)).Append("</h2>");

    private static string End(StringBuilder html, string domain, Uri? link)
    {
        if (link is not null)
            html.Append("<p><a href=\"").Append(MailText.Html(link.AbsoluteUri)).Append("\">Open ").Append(MailText.Html(domain)).Append(" in the dashboard</a></p>");
        html.Append("<p style=\"color:#777;font-size:12px;\">MonitorService, MTA-STS monitoring. You receive this as a recipient of alerts for ")
            .Append(MailText.Html(domain)).Append(".</p></body></html>");
        return html.ToString();
    }

    private static void Footer(StringBuilder text, string domain, Uri? link)
    {
        if (link is not null)
            text.Append($"\nDashboard: {link.AbsoluteUri}\n");
        text.Append("\n-- \nMonitorService, MTA-STS monitoring. You receive this as a recipient of alerts for ").Append(domain).Append(".\n");
    }
}
