namespace MonitorService.TlsRpt.Views;

/// <summary>The TXT record a domain should publish so that senders also report to this monitor.</summary>
public sealed record TlsRptSetupAdvice(string RecordName, string RecordValue, bool HasRecord);

/// <summary>
/// Whether the domain's TLS-RPT record (RFC 8460 §3, at <c>_smtp._tls</c>) already sends reports here, and if not the
/// exact record to publish: its existing rua destinations kept, ours added. Pure: the record comes from our latest check.
/// </summary>
public static class TlsRptSetupHelp
{
    /// <summary>Null when reports already reach us (or no address of ours is configured).</summary>
    public static TlsRptSetupAdvice? For(string domain, IReadOnlyList<string> existingRua, string? publicUrl, string? mailboxAddress)
    {
        var ours = new List<string>();
        if (!string.IsNullOrEmpty(mailboxAddress))
            ours.Add("mailto:" + mailboxAddress);
        if (!string.IsNullOrEmpty(publicUrl))
            ours.Add(publicUrl);
        if (ours.Count == 0 || existingRua.Any(r => ours.Any(o => Same(r, o))))
            return null;
        // Existing destinations as published; a destination with a separator in it would break the list, so it is left out.
        var kept = existingRua.Select(r => r.Trim()).Where(r => r.Length > 0 && r.IndexOfAny([',', ';']) < 0 && !r.Any(char.IsControl));
        return new TlsRptSetupAdvice($"_smtp._tls.{domain}", $"v=TLSRPTv1; rua={string.Join(',', kept.Concat(ours))}", existingRua.Count > 0);
    }

    private static bool Same(string published, string ours)
    {
        var a = published.Trim();
        if (ours.StartsWith("mailto:", StringComparison.Ordinal))
        {
            // A size limit suffix (mailto:a@b!10m) still delivers to the same mailbox.
            var bang = a.IndexOf('!', StringComparison.Ordinal);
            return string.Equals(bang >= 0 ? a[..bang] : a, ours, StringComparison.OrdinalIgnoreCase);
        }
        return string.Equals(a.TrimEnd('/'), ours.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
    }
}
