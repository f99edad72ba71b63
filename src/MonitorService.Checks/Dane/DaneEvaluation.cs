using MonitorService.Checks.Model;

namespace MonitorService.Checks.Dane;

/// <summary>The DANE verdict of one MX host: the report entry, and what the findings need beyond it.</summary>
/// <param name="CurrentKeyRecord">The <c>3 1 1</c> record of the presented leaf's key, null without a certificate.</param>
/// <param name="OnlyCurrentKeyPinned">Every usable record pins the presented leaf (DANE-EE): a new key breaks them all.</param>
/// <param name="LeafNotAfter">When the presented leaf expires, null without a certificate.</param>
public sealed record DaneEvaluation(string MxHost, DaneReport Report, string? CurrentKeyRecord, bool OnlyCurrentKeyPinned, DateTimeOffset? LeafNotAfter)
{
    /// <summary>DANE senders apply the records: everything on the way is secure and a record is usable.</summary>
    public bool Applies => Report.Secure && Report.Usable;
}
