using MonitorService.Checks.Model;
using MonitorService.Storage.Entities;

namespace MonitorService.Storage.Snapshots;

/// <summary>
/// The one place that writes and reads the content of stored snapshot parts. Readers return typed values, so no
/// caller walks stored JSON by hand.
/// </summary>
public static class SnapshotContent
{
    public static SnapshotPart Mx(IEnumerable<StoredMxHost> hosts) => Part(SnapshotKinds.Mx, hosts);
    public static SnapshotPart Txt(IReadOnlyList<string> records) => Part(SnapshotKinds.Txt, records);
    public static SnapshotPart Policy(StoredPolicy policy) => Part(SnapshotKinds.Policy, policy);
    public static SnapshotPart TlsRpt(IReadOnlyList<string> records) => Part(SnapshotKinds.TlsRpt, records);
    public static SnapshotPart Certificates(IEnumerable<StoredCertificate> certificates) => Part(SnapshotKinds.Certificates, certificates);
    public static SnapshotPart Report(CheckReport report) => Part(SnapshotKinds.Report, report);

    public static IReadOnlyList<StoredMxHost> ReadMx(string content) => SnapshotJson.Deserialize<List<StoredMxHost>>(content);

    /// <summary>The MX host names of a stored MX set, empty names (a null MX) left out.</summary>
    public static IReadOnlyList<string> ReadMxHosts(string content) => ReadMx(content).Select(m => m.Host).Where(h => h.Length > 0).ToList();

    public static StoredPolicy ReadPolicy(string content) => SnapshotJson.Deserialize<StoredPolicy>(content);

    /// <summary>The policy body as served, or "" when the response had none.</summary>
    public static string ReadPolicyBody(string content) => ReadPolicy(content).Raw ?? "";

    public static IReadOnlyList<StoredCertificate> ReadCertificates(string content) => SnapshotJson.Deserialize<List<StoredCertificate>>(content);

    /// <summary>The report as stored (without per-check noise: no time, latency or greetings).</summary>
    public static CheckReport ReadReport(string content) => SnapshotJson.Deserialize<CheckReport>(content);

    private static SnapshotPart Part<T>(string kind, T value) => new(kind, SnapshotJson.Serialize(value));
}
