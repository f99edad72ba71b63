using System.Text;
using MonitorService.Mail;
using MonitorService.Monitoring.Drift;

namespace MonitorService.Alerts;

/// <summary>
/// The text and HTML bodies of an alert or resolution mail. Every string that came from a check (hosts, policy lines,
/// messages quoting them) goes through <see cref="MailText"/>: plain text without control characters, HTML escaped.
/// </summary>
public static class AlertMailRenderer
{
    public static string Subject(AlertContent content) => $"[MonitorService] {content.Domain}: {content.Headline}";

    public static string Text(AlertContent c)
    {
        var text = new StringBuilder();
        text.Append(MailText.Plain(Subject(c))).Append("\n\n");
        text.Append($"Checked {c.Domain} at {DriftText.Time(c.CheckedAt)}.\n");
        if (c.New.Count > 0)
        {
            text.Append($"\nNEW ({c.New.Count})\n");
            foreach (var item in c.New)
                AppendItem(text, item);
        }
        if (c.Context.Count > 0)
        {
            text.Append("\nALSO CHANGED IN THIS CHECK\n");
            foreach (var item in c.Context)
                AppendItem(text, item);
        }
        if (c.Resolved.Count > 0)
        {
            text.Append($"\nRESOLVED ({c.Resolved.Count})\n");
            foreach (var item in c.Resolved)
                text.Append($"\n[resolved] {item.Code}{MailText.Plain(SubjectSuffix(item))}{(item.Since is { } since ? $" (open since {DriftText.Time(since)})" : "")}\n  {Indent(item.Message)}\n");
        }
        if (c.DashboardLink is { } link)
            text.Append($"\nDashboard: {link.AbsoluteUri}\n");
        text.Append("\n-- \nMonitorService, MTA-STS monitoring. You receive this as a recipient of alerts for ").Append(c.Domain).Append(".\n");
        return text.ToString();
    }

    public static string Html(AlertContent c)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(MailText.Html(Subject(c))).Append("</title></head>");
        html.Append("<body style=\"font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222;\">");
        html.Append("<h2 style=\"font-size:18px;\">").Append(MailText.Html($"{c.Domain}: {c.Headline}")).Append("</h2>");
        html.Append("<p>Checked ").Append(MailText.Html(c.Domain)).Append(" at ").Append(MailText.Html(DriftText.Time(c.CheckedAt))).Append(".</p>");
        Section(html, $"New ({c.New.Count})", c.New);
        Section(html, "Also changed in this check", c.Context);
        if (c.Resolved.Count > 0)
        {
            html.Append("<h3 style=\"font-size:16px;\">Resolved (").Append(c.Resolved.Count).Append(")</h3><ul>");
            foreach (var item in c.Resolved)
                html.Append("<li><b>").Append(MailText.Html(item.Code)).Append("</b>").Append(MailText.Html(SubjectSuffix(item)))
                    .Append(item.Since is { } since ? $" (open since {MailText.Html(DriftText.Time(since))})" : "")
                    .Append("<br>").Append(MailText.Html(item.Message)).Append("</li>");
            html.Append("</ul>");
        }
        if (c.DashboardLink is { } link)
            html.Append("<p><a href=\"").Append(MailText.Html(link.AbsoluteUri)).Append("\">Open ").Append(MailText.Html(c.Domain)).Append(" in the dashboard</a></p>");
        html.Append("<p style=\"color:#777;font-size:12px;\">MonitorService, MTA-STS monitoring. You receive this as a recipient of alerts for ")
            .Append(MailText.Html(c.Domain)).Append(".</p></body></html>");
        return html.ToString();
    }

    private static void AppendItem(StringBuilder text, AlertItem item)
    {
        text.Append($"\n[{item.Severity.ToUpperInvariant()}] {item.Code}{MailText.Plain(SubjectSuffix(item))}\n");
        text.Append("  ").Append(Indent(item.Message)).Append('\n');
        if (item.Until is { } until)
            text.Append($"  Senders that cached an earlier policy keep acting on it until {DriftText.Time(until)}.\n");
        if (item.Fix is { Length: > 0 } fix)
            text.Append("  Fix:\n    ").Append(MailText.Plain(fix).Replace("\n", "\n    ", StringComparison.Ordinal)).Append('\n');
    }

    private static void Section(StringBuilder html, string title, IReadOnlyList<AlertItem> items)
    {
        if (items.Count == 0)
            return;
        html.Append("<h3 style=\"font-size:16px;\">").Append(MailText.Html(title)).Append("</h3>");
        foreach (var item in items)
        {
            var colour = item.Severity switch { "error" => "#b00020", "warning" => "#b26a00", _ => "#555" };
            html.Append("<div style=\"border-left:4px solid ").Append(colour).Append(";padding:4px 10px;margin:10px 0;\">");
            html.Append("<div><b style=\"color:").Append(colour).Append(";\">").Append(MailText.Html(item.Severity.ToUpperInvariant())).Append("</b> ")
                .Append("<code>").Append(MailText.Html(item.Code)).Append("</code>").Append(MailText.Html(SubjectSuffix(item))).Append("</div>");
            html.Append("<p style=\"margin:6px 0;\">").Append(MailText.Html(item.Message)).Append("</p>");
            if (item.Until is { } until)
                html.Append("<p style=\"margin:6px 0;\">Senders that cached an earlier policy keep acting on it until <b>")
                    .Append(MailText.Html(DriftText.Time(until))).Append("</b>.</p>");
            if (item.Fix is { Length: > 0 } fix)
                html.Append("<p style=\"margin:6px 0;\"><b>Fix</b></p><pre style=\"background:#f4f4f4;padding:8px;white-space:pre-wrap;word-break:break-all;\">")
                    .Append(MailText.Html(MailText.Plain(fix))).Append("</pre>");
            html.Append("</div>");
        }
    }

    private static string SubjectSuffix(AlertItem item) => item.Subject is { Length: > 0 } s ? $"  {s}" : "";

    private static string Indent(string message) => MailText.Plain(message).Replace("\n", "\n  ", StringComparison.Ordinal);
}
