using MonitorService.Checks.Dane;
using MonitorService.Checks.Model;

namespace MonitorService.Web.Pages;

/// <summary>The DANE cell of the MX table: a word, a tone, and the records with what was wrong as the cell's title.</summary>
public static class DaneDisplay
{
    public static string Text(DaneReport? dane) => dane?.Status switch
    {
        null => "none",
        DaneStatuses.Matched => "secure, matched",
        DaneStatuses.Mismatch => "MISMATCH",
        DaneStatuses.Insecure => "insecure (ignored by senders)",
        DaneStatuses.Unusable => "secure, no usable record",
        DaneStatuses.Untested => "secure, not tested",
        DaneStatuses.Bogus => "DNSSEC bogus",
        DaneStatuses.Indeterminate => "DNSSEC indeterminate",
        DaneStatuses.DnsError => "TLSA lookup failed",
        _ => "not validated",
    };

    public static string Tone(DaneReport? dane) => dane?.Status switch
    {
        null => "",
        DaneStatuses.Matched => "tone-ok",
        DaneStatuses.Mismatch or DaneStatuses.Bogus or DaneStatuses.DnsError => "tone-error",
        DaneStatuses.Insecure or DaneStatuses.Unusable => "tone-warning",
        _ => "tone-pending",
    };

    /// <summary>"_25._tcp.host: 3 1 1 ab12… (matched)", one record a line; Razor encodes it into the attribute.</summary>
    public static string Detail(DaneReport? dane) => dane is null
        ? "no TLSA records"
        : string.Join("\n", new[] { dane.TlsaName + (dane.Error is null ? "" : $": {dane.Error}") }
            .Concat(dane.Records.Select(r => DaneRules.Presentation(r) + (r.Matched ? " (matched)" : "") + (r.Problem is null ? "" : $": {r.Problem}"))));
}
