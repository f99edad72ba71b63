using System.Globalization;
using System.Text;
using MonitorService.Mail;
using MonitorService.Monitoring.Drift;

namespace MonitorService.Digest;

/// <summary>
/// The digest as text and as HTML that common mail clients render: tables and inline styles, no scripts, no external
/// images. Domain content (hosts, messages) is escaped like in alerts.
/// </summary>
public static class DigestRenderer
{
    public static string Subject(DigestContent d)
    {
        var problems = d.Domains.Count(x => x.Status is "error" or "warning");
        return $"[MonitorService] Weekly MTA-STS digest for {d.Team}: {d.Domains.Count} domains, {(problems == 0 ? "all healthy" : $"{problems} with problems")}";
    }

    public static string Text(DigestContent d)
    {
        var text = new StringBuilder();
        text.Append(MailText.Plain(Subject(d))).Append("\n\n");
        text.Append($"Week {DriftText.Time(d.From)} to {DriftText.Time(d.To)}.\n");
        if (d.Domains.Count == 0)
            text.Append("\nThe team has no domains.\n");
        foreach (var x in d.Domains)
        {
            text.Append($"\n== {x.Name} — {x.Status.ToUpperInvariant()}, mode {x.Mode ?? "unknown"}\n");
            text.Append("   Week: ").Append(string.Join(" ", x.Days.Select(day => $"{day.Day.ToString("ddd", CultureInfo.InvariantCulture)}:{Letter(day.Status)}"))).Append("  (O ok, W warning, E error, - not checked)\n");
            if (x.LastCheckedAt is { } last)
                text.Append($"   Last checked {DriftText.Time(last)}\n");
            foreach (var c in x.Changes)
                text.Append($"   Changed {DriftText.Time(c.At)}: {Line(c.Message)}\n");
            foreach (var i in x.OpenIncidents)
                text.Append($"   Open {i.Severity} for {Age(i.Age)}: {i.Code}{(i.Subject is null ? "" : " " + Line(i.Subject))} — {Line(i.Message)}\n");
            foreach (var c in x.ExpiringCertificates)
                text.Append($"   Certificate of {Line(c.Host)} expires {DriftText.Time(c.NotAfter)}\n");
            if (x.TestingSince is { } since)
                text.Append($"   In testing mode since {DriftText.Time(since)}: senders do not enforce the policy; move to enforce once TLS reports are clean.\n");
            if (x.Senders is { } s)
            {
                text.Append($"   What senders saw ({s.From:yyyy-MM-dd} to {s.To:yyyy-MM-dd}): {s.Successful + s.Failed} sessions, {s.Failed} failed ({s.FailureRate}), {s.Reports} report(s)\n");
                if (s.TopResultTypes.Count > 0)
                    text.Append("     Top result types: ").Append(string.Join(", ", s.TopResultTypes.Select(r => $"{Line(r.Name)} ({r.Failed})"))).Append('\n');
                text.Append("     Top organisations: ").Append(string.Join(", ", s.TopOrganizations.Select(o => $"{Line(o.Name)} ({o.Failed} failed of {o.Sessions})"))).Append('\n');
            }
            if (x.DashboardLink is { } link)
                text.Append($"   {link.AbsoluteUri}\n");
        }
        text.Append("\n-- \nMonitorService, MTA-STS monitoring.\n");
        return text.ToString();
    }

    public static string Html(DigestContent d)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(MailText.Html(Subject(d))).Append("</title></head>");
        html.Append("<body style=\"font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222;\">");
        html.Append("<h2 style=\"font-size:18px;\">Weekly MTA-STS digest for ").Append(MailText.Html(d.Team)).Append("</h2>");
        html.Append("<p>").Append(MailText.Html($"Week {DriftText.Time(d.From)} to {DriftText.Time(d.To)}.")).Append("</p>");
        if (d.Domains.Count == 0)
            html.Append("<p>The team has no domains.</p>");
        foreach (var x in d.Domains)
        {
            html.Append("<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" style=\"border-collapse:collapse;margin:16px 0;width:100%;max-width:720px;\">");
            html.Append("<tr><td style=\"padding:6px 0;\"><b style=\"font-size:16px;\">").Append(MailText.Html(x.Name)).Append("</b> ")
                .Append("<span style=\"color:#fff;background:").Append(Colour(x.Status)).Append(";padding:1px 6px;border-radius:3px;\">")
                .Append(MailText.Html(x.Status)).Append("</span> mode ").Append(MailText.Html(x.Mode ?? "unknown")).Append("</td></tr>");
            html.Append("<tr><td><table role=\"presentation\" cellpadding=\"0\" cellspacing=\"2\" class=\"strip\"><tr>");
            foreach (var day in x.Days)
                html.Append("<td title=\"").Append(MailText.Html($"{day.Day:yyyy-MM-dd}: {day.Status}")).Append("\" style=\"width:36px;height:18px;background:")
                    .Append(Colour(day.Status)).Append(";color:#fff;font-size:10px;text-align:center;\">")
                    .Append(day.Day.ToString("ddd", CultureInfo.InvariantCulture)).Append("</td>");
            html.Append("</tr></table></td></tr>");
            var lines = new List<string>();
            lines.AddRange(x.Changes.Select(c => $"Changed {MailText.Html(DriftText.Time(c.At))}: {MailText.Html(c.Message)}"));
            lines.AddRange(x.OpenIncidents.Select(i => $"<b>Open {MailText.Html(i.Severity)}</b> for {MailText.Html(Age(i.Age))}: <code>{MailText.Html(i.Code)}</code>{(i.Subject is null ? "" : " " + MailText.Html(i.Subject))} — {MailText.Html(i.Message)}"));
            lines.AddRange(x.ExpiringCertificates.Select(c => $"Certificate of {MailText.Html(c.Host)} expires <b>{MailText.Html(DriftText.Time(c.NotAfter))}</b>"));
            if (x.TestingSince is { } since)
                lines.Add($"In <b>testing</b> mode since {MailText.Html(DriftText.Time(since))}: senders do not enforce the policy; move to enforce once TLS reports are clean.");
            if (x.Senders is { } s)
            {
                lines.Add($"<b>What senders saw</b> ({s.From:yyyy-MM-dd} to {s.To:yyyy-MM-dd}): {s.Successful + s.Failed} sessions, {s.Failed} failed ({MailText.Html(s.FailureRate)}), {s.Reports} report(s)");
                if (s.TopResultTypes.Count > 0)
                    lines.Add("Top result types: " + string.Join(", ", s.TopResultTypes.Select(r => $"<code>{MailText.Html(r.Name)}</code> ({r.Failed})")));
                lines.Add("Top organisations: " + string.Join(", ", s.TopOrganizations.Select(o => $"{MailText.Html(o.Name)} ({o.Failed} failed of {o.Sessions})")));
            }
            if (lines.Count > 0)
                html.Append("<tr><td><ul style=\"margin:6px 0;\">").Append(string.Concat(lines.Select(l => $"<li>{l}</li>"))).Append("</ul></td></tr>");
            if (x.DashboardLink is { } link)
                html.Append("<tr><td><a href=\"").Append(MailText.Html(link.AbsoluteUri)).Append("\">Open in the dashboard</a></td></tr>");
            html.Append("</table>");
        }
        html.Append("<p style=\"color:#777;font-size:12px;\">MonitorService, MTA-STS monitoring.</p></body></html>");
        return html.ToString();
    }

    private static string Colour(string status) => status switch
    {
        "ok" => "#2e7d32",
        "warning" => "#b26a00",
        "error" => "#b00020",
        _ => "#9e9e9e",
    };

    private static char Letter(string status) => status switch
    {
        "ok" => 'O',
        "warning" => 'W',
        "error" => 'E',
        _ => '-',
    };

    private static string Age(TimeSpan age) => age.TotalDays >= 1 ? $"{(int)age.TotalDays}d" : age.TotalHours >= 1 ? $"{(int)age.TotalHours}h" : $"{Math.Max(0, (int)age.TotalMinutes)}m";

    private static string Line(string text) => MailText.Plain(text).Replace('\n', ' ');
}
