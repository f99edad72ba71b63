using System.Net;
using MonitorService.Checks.Analysis;
using MonitorService.Checks.Certificates;
using MonitorService.Checks.Dane;
using MonitorService.Checks.Dns;
using MonitorService.Checks.Dnssec;
using MonitorService.Checks.Model;
using MonitorService.Checks.NameServers;
using MonitorService.Checks.Net;
using MonitorService.Checks.Policy;
using MonitorService.Checks.Smtp;

namespace MonitorService.Checks;

/// <summary>
/// Runs one check: asks DNS, fetches the policy from every address of the policy host, probes every MX host, and
/// hands what it saw to <see cref="ReportBuilder"/>. Independent parts run concurrently; every part has its own time
/// limit, and the whole check has one more as a safety net, so no server can stall it.
/// </summary>
public sealed class DomainChecker : IDomainChecker
{
    private readonly IDnsResolver _dns;
    private readonly AddressGuard _guard;
    private readonly PolicyFetcher _fetcher;
    private readonly StartTlsProbe? _probe;
    private readonly CheckOptions _options;
    private readonly TimeProvider _time;
    private readonly KeyedConcurrencyLimiter _probesPerServer;
    private readonly NameServerSurvey? _nameServers;

    /// <param name="nameServers">Asks the domain's authoritative servers directly; null skips the name-server comparison.</param>
    public DomainChecker(IDnsResolver dns, AddressGuard guard, PolicyFetcher fetcher, StartTlsProbe? probe, CheckOptions options, TimeProvider time,
        NameServerSurvey? nameServers = null)
    {
        _nameServers = nameServers;
        _probesPerServer = new KeyedConcurrencyLimiter(options.MaxProbesPerMxHost);
        _dns = dns;
        _guard = guard;
        _fetcher = fetcher;
        _probe = probe;
        _options = options;
        _time = time;
    }

    /// <summary>Wires the engine from its options: DnsClient, the address guard, trust anchors from the CA file.</summary>
    public static DomainChecker Create(CheckOptions options, TimeProvider time)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        var anchors = options.CaFile is null ? TrustAnchors.SystemOnly : TrustAnchors.FromPemFile(options.CaFile);
        var inspector = new CertificateInspector(anchors, time);
        var dns = WithDnssec(new DnsClientResolver(options.ResolverEndPoints(), options.Timeout), options, time);
        var fetcher = new PolicyFetcher(inspector, new PolicyFetcherSettings(options.PolicyPort, options.Timeout));
        var probe = options.SkipSmtp ? null : new StartTlsProbe(inspector, new StartTlsProbeSettings(options.SmtpPort, options.Timeout, options.HeloName));
        var guard = new AddressGuard(options.AllowPrivateAddresses);
        var nameServers = new NameServerSurvey(
            new DnsClientDelegationResolver(options.ResolverEndPoints(), options.Timeout), dns, new DnsClientAuthoritativeQuery(options.Timeout), guard,
            new NameServerSurveySettings(options.MaxNameServers, options.MaxAddressesPerNameServer, options.AuthoritativeDnsPort, options.MaxMxHosts));
        return new DomainChecker(dns, guard, fetcher, probe, options, time, nameServers);
    }

    /// <summary>
    /// The resolver the engine uses: validating (the default) or plain. Validation of one answer has twice the
    /// per-operation limit: a cold chain is a few lookups in a row (root, TLD, domain keys), each within its own limit.
    /// </summary>
    public static IDnsResolver WithDnssec(IDnsResolver plain, CheckOptions options, TimeProvider time)
    {
        if (!options.DnssecValidation)
            return plain;
        var anchors = options.DnssecTrustAnchorFile is null ? DnssecTrustAnchors.IanaRoot : DnssecTrustAnchors.FromFile(options.DnssecTrustAnchorFile);
        var client = new DnssecQueryClient(options.ResolverEndPoints(), options.Timeout);
        var validator = new DnssecValidator(client, anchors, time, options.DnssecCacheEntries, DnssecLimits.MaxQueriesPerValidation);
        return new ValidatingDnsResolver(plain, validator, options.Timeout * 2);
    }

    /// <summary>The longest a whole check may take: DNS, then the policy and the MX hosts side by side, each bounded.</summary>
    public TimeSpan CheckDeadline => _options.Timeout * 8;

    public async Task<CheckReport> CheckAsync(string domain, CancellationToken cancellationToken = default)
    {
        var checkedAt = _time.GetUtcNow();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(CheckDeadline);
        // On the deadline's own clock: the check's timestamps may come from a test's manual clock, elapsed time may not.
        using var lastProbeStart = new CancellationTokenSource(LastProbeStart);
        try
        {
            var observations = await ObserveAsync(domain, checkedAt, lastProbeStart.Token, deadline.Token).ConfigureAwait(false);
            return ReportBuilder.Build(observations);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TimedOut(domain, checkedAt);
        }
    }

    /// <summary>
    /// How long into a check a STARTTLS probe may still start: one that starts later (connect plus dialogue limit)
    /// could run into the check's deadline, which discards everything the check saw (CHECK_TIMEOUT). A slow-to-resolve
    /// MX host whose addresses are slow to answer must cost that host's probe, not the report.
    /// </summary>
    private TimeSpan LastProbeStart =>
        CheckDeadline - (_options.Timeout + (_probe?.DialogueLimit ?? TimeSpan.Zero)) - _options.Timeout / 2;

    /// <summary>
    /// How long the name-server survey may take: the zone walk, the address lookups and the direct questions are each
    /// bounded by the time limit, but in sequence; the survey ends well before the check's deadline so that a slow
    /// zone costs its own comparison (NS_LOOKUP_FAILED), not the report.
    /// </summary>
    private TimeSpan NameServerLimit => CheckDeadline - _options.Timeout * 2;

    private async Task<NameServerObservations?> SurveyNameServersAsync(string domain, Task<DnsAnswer<MxRecordData>> mxTask, CancellationToken ct)
    {
        if (_nameServers is null)
            return null;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(NameServerLimit);
        try
        {
            return await _nameServers.SurveyAsync(domain, mxTask, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new NameServerObservations { Domain = domain, Error = $"The name servers did not all answer within {NameServerLimit.TotalSeconds:0} s." };
        }
    }

    private async Task<CheckObservations> ObserveAsync(string domain, DateTimeOffset checkedAt, CancellationToken lastProbeStart, CancellationToken ct)
    {
        var policyHost = $"mta-sts.{domain}";
        var txtTask = _dns.GetTxtAsync($"_mta-sts.{domain}", ct);
        var mxTask = _dns.GetMxAsync(domain, ct);
        var tlsRptTask = _dns.GetTxtAsync($"_smtp._tls.{domain}", ct);
        var policyTask = FetchPolicyAsync(policyHost, ct);
        var mxHostsTask = ObserveMxHostsAsync(mxTask, lastProbeStart, ct);
        var nameServersTask = SurveyNameServersAsync(domain, mxTask, ct);

        var (policyAddresses, blocked, fetches, notFetched) = await policyTask.ConfigureAwait(false);
        return new CheckObservations
        {
            Domain = domain,
            CheckedAt = checkedAt,
            PolicyPort = _options.PolicyPort,
            StsTxt = await txtTask.ConfigureAwait(false),
            Mx = await mxTask.ConfigureAwait(false),
            TlsRpt = await tlsRptTask.ConfigureAwait(false),
            PolicyHostAddresses = policyAddresses,
            PolicyHostBlocked = blocked,
            PolicyFetches = fetches,
            PolicyAddressesNotFetched = notFetched,
            MxHosts = await mxHostsTask.ConfigureAwait(false),
            SmtpProbed = _probe is not null,
            NameServers = await nameServersTask.ConfigureAwait(false),
        };
    }

    private async Task<(DnsAnswer<IPAddress>, IReadOnlyList<IPAddress>, IReadOnlyList<PolicyFetchResult>, int)> FetchPolicyAsync(string policyHost, CancellationToken ct)
    {
        var addresses = await _dns.GetAddressesAsync(policyHost, ct).ConfigureAwait(false);
        var (allowed, blocked) = Partition(addresses.Records);
        // Every address up to the cap: a host whose servers disagree shows a different policy to different senders.
        var fetched = allowed.Take(_options.MaxAddressesPerHost).ToList();
        var fetches = await Task.WhenAll(fetched.Select(a => _fetcher.FetchAsync(policyHost, a, ct))).ConfigureAwait(false);
        return (addresses, blocked, fetches, allowed.Count - fetched.Count);
    }

    private async Task<IReadOnlyList<MxHostObservation>> ObserveMxHostsAsync(Task<DnsAnswer<MxRecordData>> mxTask, CancellationToken lastProbeStart, CancellationToken ct)
    {
        var mx = await mxTask.ConfigureAwait(false);
        if (mx.Outcome != DnsOutcome.Found || MxRules.IsNullMx(mx))
            return [];
        // Backups included (RFC 8461 §8.4): their problems surface exactly when the primary is down. Up to the cap,
        // the most preferred first, as senders try them; the report keeps the answer's order.
        var observed = mx.Records.OrderBy(r => r.Preference).ThenBy(r => r.Host, StringComparer.OrdinalIgnoreCase)
            .Take(_options.MaxMxHosts).ToHashSet();
        return await Task.WhenAll(mx.Records.Select(record => observed.Contains(record)
            ? ObserveMxHostAsync(record, lastProbeStart, ct)
            : Task.FromResult(MxHostObservation.LeftOut(record)))).ConfigureAwait(false);
    }

    private async Task<MxHostObservation> ObserveMxHostAsync(MxRecordData record, CancellationToken lastProbeStart, CancellationToken ct)
    {
        var addresses = await _dns.GetAddressesAsync(record.Host, ct).ConfigureAwait(false);
        // Beside the probe: the TLSA lookup needs only the address answer (its CNAME and DNSSEC status).
        var daneTask = DaneLookup.LookupAsync(_dns, record.Host, addresses, ct);
        var (allowed, blocked) = Partition(addresses.Records);
        SmtpProbeResult? probe = null;
        var tried = 0;
        var outOfTime = false;
        if (_probe is not null)
        {
            // Like a sender: try the addresses in turn until one answers, up to the cap.
            foreach (var address in allowed.Take(_options.MaxAddressesPerHost))
            {
                using var slot = await AcquireProbeSlotAsync(address, lastProbeStart, ct).ConfigureAwait(false);
                if (slot is null)
                {
                    outOfTime = true;
                    break;
                }
                probe = await _probe.ProbeAsync(record.Host, address, ct).ConfigureAwait(false);
                tried++;
                if (probe.Connected)
                    break;
            }
        }
        var notTried = _probe is null || probe?.Connected == true ? 0 : allowed.Count - tried;
        return new MxHostObservation(record, addresses, blocked, probe, notTried) { OutOfTime = outOfTime, Dane = await daneTask.ConfigureAwait(false) };
    }

    /// <summary>A place among the probes of this server address; null when none frees up before <paramref name="lastStart"/>.</summary>
    private async Task<IDisposable?> AcquireProbeSlotAsync(IPAddress address, CancellationToken lastStart, CancellationToken ct)
    {
        if (lastStart.IsCancellationRequested)
            return null;
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, lastStart);
        try
        {
            return await _probesPerServer.AcquireAsync(address.ToString(), either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }

    private (IReadOnlyList<IPAddress> Allowed, IReadOnlyList<IPAddress> Blocked) Partition(IReadOnlyList<IPAddress> addresses) =>
        (addresses.Where(_guard.IsAllowed).ToList(), addresses.Where(a => !_guard.IsAllowed(a)).ToList());

    private CheckReport TimedOut(string domain, DateTimeOffset checkedAt) => new()
    {
        Domain = domain,
        CheckedAt = checkedAt,
        Txt = new TxtSection([], null),
        Mx = [],
        Findings =
        [
            new Finding(FindingCodes.CheckTimeout, Severity.Error, domain,
                $"The check did not finish within {CheckDeadline.TotalSeconds:0} s; some server answered too slowly. Nothing was concluded about the domain.", "RFC 8461 §3.3"),
        ],
    };
}
