namespace MonitorService.TlsRpt.Views;

/// <summary>
/// Where senders can send this monitor their reports (<c>TlsRpt:PublicUrl</c>, <c>TlsRpt:MailboxAddress</c>): what
/// the domain page tells a team to add to its TLS-RPT record. Either, both or neither (then no setup help is shown).
/// </summary>
public sealed class TlsRptAddressOptions
{
    public const string SectionName = "TlsRpt";

    /// <summary>The HTTPS intake as senders reach it, such as https://monitor.example/tlsrpt.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>The mailbox senders mail reports to, such as tlsrpt@monitor.example.</summary>
    public string? MailboxAddress { get; set; }

    /// <summary>
    /// A team's own destinations: <c>mailto:local+KEY@domain</c> (sub-addressing: the mail server must deliver it to
    /// the same mailbox, as Postfix, Exim and Dovecot do with '+') and <c>PublicUrl/KEY</c>; and the shared ones.
    /// </summary>
    public TlsRptAddresses For(string teamKey)
    {
        List<string> team = [], shared = [];
        if (!string.IsNullOrEmpty(MailboxAddress))
        {
            var at = MailboxAddress.LastIndexOf('@');
            team.Add($"mailto:{MailboxAddress[..at]}+{teamKey}{MailboxAddress[at..]}");
            shared.Add("mailto:" + MailboxAddress);
        }
        if (!string.IsNullOrEmpty(PublicUrl))
        {
            team.Add($"{PublicUrl.TrimEnd('/')}/{teamKey}");
            shared.Add(PublicUrl);
        }
        return new TlsRptAddresses(team, shared);
    }

    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrEmpty(PublicUrl)
            && (!Uri.TryCreate(PublicUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment)
                || PublicUrl.IndexOfAny([',', ';', ' ', '!']) >= 0))
            yield return "TlsRpt:PublicUrl must be an absolute https:// URL without query, fragment, comma, semicolon, '!' or space (RFC 8460 §3: it goes into a rua list).";
        if (!string.IsNullOrEmpty(MailboxAddress)
            && (MailboxAddress.Count(c => c == '@') != 1 || MailboxAddress.StartsWith('@') || MailboxAddress.EndsWith('@')
                || MailboxAddress.IndexOfAny([',', ';', ' ', '!', '<', '>', '"', '?', '+']) >= 0))
            yield return "TlsRpt:MailboxAddress must be a plain address such as tlsrpt@monitor.example (no comma, semicolon, '!', '+', quotes, brackets or space: teams get local+KEY@domain).";
    }
}
