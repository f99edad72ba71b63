using MonitorService.Checks.Model;

namespace MonitorService.Monitoring.Drift;

/// <summary>
/// DRIFT_TLSA_CHANGED and DRIFT_DANE_CERT_MISMATCH, per MX host known in both checks. The second is the outage the
/// issue is about: a renewal with a new key while the TLSA records still pin the old one — DANE senders refuse mail
/// from the moment the new certificate is served. Severity follows whether senders apply the records (all answers
/// DNSSEC-secure): an error then, a warning when the records would break only once the zone is signed.
/// </summary>
internal static class DaneDriftRules
{
    public static IEnumerable<DriftEvent> Evaluate(DriftInput input)
    {
        if (input.Previous?.Dane is not { } previous || input.Current.Dane is not { } current)
            yield break;
        var before = previous.ToDictionary(h => h.Host, StringComparer.Ordinal);
        foreach (var now in current)
        {
            if (!before.TryGetValue(now.Host, out var then))
                continue;
            var broken = now.Matched == false && then.Matched != false;
            var severity = broken ? (now.Secure ? Severity.Error : Severity.Warning) : Severity.Info;
            var tlsaName = $"_25._tcp.{now.Host}";
            if (!now.SameRecords(then))
            {
                yield return new DriftEvent(DriftCodes.TlsaChanged, severity, now.Host,
                    $"The TLSA records at {tlsaName} changed (seen at {DriftText.Time(input.Now)}): before {Records(then)}; now {Records(now)}. "
                    + (broken
                        ? $"None of them matches the certificate {now.Host} presents: DANE senders refuse to deliver mail to it{(now.Secure ? "" : " once the zone is DNSSEC-signed")} (RFC 7672 §3.1). Put back a record for the key in use (see DANE_TLSA_MISMATCH for the exact record)."
                        : "No action is needed if the change was intended."),
                    null);
            }
            else if (broken && then.CertificateFingerprint is not null && now.CertificateFingerprint is not null && then.CertificateFingerprint != now.CertificateFingerprint)
            {
                yield return new DriftEvent(DriftCodes.DaneCertMismatch, severity, now.Host,
                    $"{now.Host} presents a new certificate (seen at {DriftText.Time(input.Now)}; SHA-256 {now.CertificateFingerprint}, before {then.CertificateFingerprint}), "
                    + $"and no TLSA record at {tlsaName} matches it any more: the renewal changed the key the records pin. DANE senders refuse to deliver mail to {now.Host}"
                    + (now.Secure ? "" : " once the zone is DNSSEC-signed") + " (RFC 7672 §3.1). "
                    + $"Publish a \"3 1 1\" TLSA record of the new key at {tlsaName} now (the exact record is in DANE_TLSA_MISMATCH), keep the old one until no server uses the old key, "
                    + "and next time publish the new key's record before deploying the certificate, or renew with the same key.",
                    null);
            }
        }
    }

    private static string Records(DaneHostState state) =>
        state.Records.Count == 0 ? "none" : string.Join(", ", state.Records.Select(r => r.Length > 80 ? r[..72] + "…" : r));
}
