namespace MonitorService.TlsRpt.Views;

/// <summary>Why the domain page shows a record to publish.</summary>
public enum TlsRptSetupReason
{
    /// <summary>The domain publishes no TLS-RPT record: senders send no reports at all.</summary>
    NoRecord,
    /// <summary>The record sends reports elsewhere only.</summary>
    NotToUs,
    /// <summary>The record sends reports to the shared address, and another team registered the domain too: shown to neither.</summary>
    SharedAddressHidden,
}

/// <summary>The TXT record a domain should publish so that senders send this team its reports.</summary>
public sealed record TlsRptSetupAdvice(string RecordName, string RecordValue, TlsRptSetupReason Reason);

/// <summary>
/// Whether the domain's TLS-RPT record (RFC 8460 §3, at <c>_smtp._tls</c>) already sends this team its reports, and if
/// not the exact record to publish: its existing rua destinations kept, the team's own addresses added (and the shared
/// address dropped where it no longer shows anything). Pure: the record comes from our latest check.
/// </summary>
public static class TlsRptSetupHelp
{
    /// <summary>
    /// The advice for the domain's latest report: null also before the first check and when the record's lookup failed
    /// (there is nothing to compare yet). The page and the API both ask this.
    /// </summary>
    public static TlsRptSetupAdvice? ForLatest(string domain, Checks.Model.CheckReport? latest, TlsRptAddresses addresses, bool sharedAddressShown) =>
        latest is not null && latest.TlsRpt?.LookupError is null
            ? For(domain, latest.TlsRpt?.Rua ?? [], addresses, sharedAddressShown)
            : null;

    /// <summary>Null when reports already reach the team (or no address of ours is configured).</summary>
    public static TlsRptSetupAdvice? For(string domain, IReadOnlyList<string> existingRua, TlsRptAddresses addresses, bool sharedAddressShown)
    {
        if (addresses.Team.Count == 0 || existingRua.Any(r => addresses.Team.Any(o => Same(r, o))))
            return null;
        var usesShared = existingRua.Any(r => addresses.Shared.Any(o => Same(r, o)));
        if (usesShared && sharedAddressShown)
            return null;
        // Existing destinations as published; a destination with a separator in it would break the list, so it is left out.
        var kept = existingRua.Select(r => r.Trim())
            .Where(r => r.Length > 0 && r.IndexOfAny([',', ';']) < 0 && !r.Any(char.IsControl) && !addresses.Shared.Any(o => Same(r, o)));
        var reason = usesShared ? TlsRptSetupReason.SharedAddressHidden : existingRua.Count > 0 ? TlsRptSetupReason.NotToUs : TlsRptSetupReason.NoRecord;
        return new TlsRptSetupAdvice($"_smtp._tls.{domain}", $"v=TLSRPTv1; rua={string.Join(',', kept.Concat(addresses.Team))}", reason);
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

/// <summary>The rua destinations of this monitor: the team's own (<c>mailto:</c> first) and the shared ones.</summary>
public sealed record TlsRptAddresses(IReadOnlyList<string> Team, IReadOnlyList<string> Shared);
