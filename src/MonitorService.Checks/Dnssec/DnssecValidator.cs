using MonitorService.Checks.Dns;

namespace MonitorService.Checks.Dnssec;

/// <summary>
/// Validates DNS answers from a trust anchor down (RFC 4033–4035, NSEC3 per RFC 5155), asking the configured recursive
/// resolver for the records with the DO bit and checking every signature itself: the resolver's AD bit is never read.
/// For an answer it verifies the RRSIGs over each RRset (CNAMEs included), then the signer zone's DNSKEY RRset against
/// the DS in its parent, up to the anchor; an unsigned answer is Insecure only when a parent proves a delegation without
/// DS on the way (NSEC/NSEC3), else Bogus. NXDOMAIN and NODATA are checked against their NSEC/NSEC3 proofs.
/// Lookups that fail make the verdict Indeterminate, never Bogus. Zone keys are cached within their TTLs.
/// </summary>
public sealed class DnssecValidator
{
    private const int MaxCnameHops = 8;
    private const int MaxSignaturesTried = 8;

    private readonly IDnssecQueryClient _client;
    private readonly DnssecTrustAnchors _anchors;
    private readonly TimeProvider _time;
    private readonly TtlCache<ZoneKeys> _cache;
    private readonly TtlCache<DomainLabels> _zoneOf;
    private readonly int _maxQueries;

    internal DnssecValidator(IDnssecQueryClient client, DnssecTrustAnchors anchors, TimeProvider time, int cacheEntries, int maxQueriesPerValidation)
    {
        _client = client;
        _anchors = anchors;
        _time = time;
        _cache = new TtlCache<ZoneKeys>(cacheEntries, time);
        _zoneOf = new TtlCache<DomainLabels>(cacheEntries, time);
        _maxQueries = maxQueriesPerValidation;
    }

    /// <summary>Zones whose keys are cached right now (for tests and the benchmark).</summary>
    internal int CachedZones => _cache.Count;

    /// <summary>Validates the answer to <paramref name="name"/>/<paramref name="type"/> as the resolver gives it now.</summary>
    public Task<DnssecVerdict> ValidateAsync(string name, ushort type, CancellationToken cancellationToken) =>
        GuardedAsync(name, budget =>
        {
            var qname = DomainLabels.Parse(name);
            // Asked only once the anchor's keys are known good: a resolver that strips DNSSEC records costs one query.
            return ValidateAnswerAsync(qname, type, () => FetchAnswerAsync(qname, type, cancellationToken), budget, cancellationToken);
        });

    /// <summary>
    /// The one query for an answer (DO bit, no CD): the message both the engine's answer and its validation are made
    /// of. Without CD a validating resolver answers exactly what it answers a sender (SERVFAIL for bogus data, as
    /// without DO); only then does the validation ask again with CD to say what is wrong. A failed lookup is a
    /// <see cref="DnssecLookupException"/>.
    /// </summary>
    internal Task<WireMessage> FetchAnswerAsync(DomainLabels name, ushort type, CancellationToken cancellationToken) =>
        _client.QueryAsync(name, type, checkingDisabled: false, cancellationToken);

    /// <summary>Validates the answer <paramref name="answer"/> (from <see cref="FetchAnswerAsync"/>) brings; a failed fetch is Indeterminate.</summary>
    internal Task<DnssecVerdict> ValidateAsync(string name, DomainLabels qname, ushort type, Task<WireMessage> answer, CancellationToken cancellationToken) =>
        GuardedAsync(name, budget => ValidateAnswerAsync(qname, type, () => answer.WaitAsync(cancellationToken), budget, cancellationToken));

    private async Task<DnssecVerdict> GuardedAsync(string name, Func<QueryBudget, Task<DnssecVerdict>> validate)
    {
        var budget = new QueryBudget(_maxQueries);
        try
        {
            return await validate(budget).ConfigureAwait(false);
        }
        catch (DnssecLookupException e)
        {
            return DnssecVerdict.Indeterminate($"a lookup on the validation path failed ({e.Message})");
        }
        catch (FormatException e)
        {
            return DnssecVerdict.Indeterminate($"'{name}' cannot be validated: {e.Message}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever a hostile answer provokes costs this verdict, never the check: the report names it.
            return DnssecVerdict.Indeterminate($"validation of {name} failed unexpectedly ({e.GetType().Name}: {e.Message})");
        }
    }

    private async Task<DnssecVerdict> ValidateAnswerAsync(DomainLabels qname, ushort qtype, Func<Task<WireMessage>> answer, QueryBudget budget, CancellationToken ct)
    {
        // The anchor's keys first (cached): a resolver that strips DNSSEC records is named as such, once, instead of
        // surfacing as a confusing failure somewhere down the chain.
        var anchorKeys = await ZoneKeysAsync(_anchors.ZoneLabels, budget, ct).ConfigureAwait(false);
        if (anchorKeys.Verdict.Status != DnssecStatus.Secure)
            return anchorKeys.Verdict;
        if (!budget.TryTake())
            throw new DnssecLookupException($"validation needed more than {budget.Limit} queries");
        var message = await answer().ConfigureAwait(false);
        if (message.Rcode == WireMessage.ServFail)
            // A validating resolver refuses data it judged bogus; with CD it hands it over and we can say why.
            message = await QueryAsync(qname, qtype, budget, ct).ConfigureAwait(false);
        if (message.Rcode is not (WireMessage.NoError or WireMessage.NxDomain))
            return DnssecVerdict.Indeterminate($"the resolver answered {qname} {RrType.Name(qtype)} with RCODE {message.Rcode}");
        if (message.Answers.Any(r => r.Type == RrType.Dname))
            return DnssecVerdict.Indeterminate($"the answer for {qname} uses a DNAME, which this validator does not follow");

        var verdicts = new List<DnssecVerdict>();
        var current = qname;
        for (var hop = 0; hop <= MaxCnameHops; hop++)
        {
            var data = WireMessage.RRset(message.Answers, current, qtype);
            if (data.Count > 0)
            {
                verdicts.Add(await ValidateRRsetAsync(current, qtype, data, message, budget, ct).ConfigureAwait(false));
                return DnssecVerdict.Worst(verdicts);
            }
            var cname = WireMessage.RRset(message.Answers, current, RrType.Cname);
            if (cname.Count == 0)
                break;
            verdicts.Add(await ValidateRRsetAsync(current, RrType.Cname, cname, message, budget, ct).ConfigureAwait(false));
            var offset = 0;
            current = WireMessageReader.ReadUncompressedName(cname[0].RData, ref offset);
        }
        verdicts.Add(await ValidateDenialAsync(current, qtype, message.Rcode == WireMessage.NxDomain, message, budget, ct).ConfigureAwait(false));
        return DnssecVerdict.Worst(verdicts);
    }

    /// <summary>One RRset of the answer: signed by a zone whose keys chain to the anchor, or provably in an unsigned zone.</summary>
    private async Task<DnssecVerdict> ValidateRRsetAsync(DomainLabels owner, ushort type, List<WireRecord> records, WireMessage message, QueryBudget budget, CancellationToken ct)
    {
        var signatures = WireMessage.SignaturesOver(message.Answers, owner, type);
        if (signatures.Count == 0)
        {
            var zone = await ZoneOfAsync(owner, budget, ct).ConfigureAwait(false);
            var zoneKeys = await ZoneKeysAsync(zone, budget, ct).ConfigureAwait(false);
            return zoneKeys.Verdict.Status == DnssecStatus.Secure
                ? DnssecVerdict.Bogus($"{owner} {RrType.Name(type)} has no RRSIG although its zone {zone} is signed (signatures stripped or never made)")
                : zoneKeys.Verdict;
        }
        var signer = signatures.Select(s => s.Signer).FirstOrDefault(s => owner.IsAtOrBelow(s));
        if (signer is null)
            return DnssecVerdict.Bogus($"the RRSIGs over {owner} {RrType.Name(type)} name a signer that is not an ancestor of it");
        var keys = await ZoneKeysAsync(signer, budget, ct).ConfigureAwait(false);
        if (keys.Verdict.Status != DnssecStatus.Secure)
            return keys.Verdict;
        var check = VerifyRRset(owner, type, records, signatures, keys);
        if (check.Verdict.Status != DnssecStatus.Secure || check.SourceLabels is not { } labels)
            return check.Verdict;
        var (nsecs, nsec3s, failure) = VerifiedDenialRecords(message, keys);
        if (failure is not null)
            return failure;
        return DenialProofs.ExpansionAllowed(owner, labels, nsecs, nsec3s, keys.Zone)
            ? DnssecVerdict.Secure
            : DnssecVerdict.Bogus($"{owner} {RrType.Name(type)} is a wildcard expansion without proof that the name itself does not exist");
    }

    /// <summary>NXDOMAIN or NODATA: the zone that says so must prove it with signed NSEC or NSEC3 records, or be provably unsigned.</summary>
    private async Task<DnssecVerdict> ValidateDenialAsync(DomainLabels name, ushort type, bool nxDomain, WireMessage message, QueryBudget budget, CancellationToken ct)
    {
        var soa = message.Authority.FirstOrDefault(r => r.Type == RrType.Soa && name.IsAtOrBelow(r.Owner));
        var zone = soa?.Owner ?? await ZoneOfAsync(name, budget, ct).ConfigureAwait(false);
        var keys = await ZoneKeysAsync(zone, budget, ct).ConfigureAwait(false);
        if (keys.Verdict.Status != DnssecStatus.Secure)
            return keys.Verdict;
        var (nsecs, nsec3s, failure) = VerifiedDenialRecords(message, keys);
        if (failure is not null)
            return failure;
        var what = nxDomain ? $"that {name} does not exist" : $"that {name} has no {RrType.Name(type)} record";
        if (nsecs.Count == 0 && nsec3s.Count == 0)
            return DnssecVerdict.Bogus($"{zone} is signed but its answer carries no NSEC or NSEC3 record proving {what}");
        var outcome = nxDomain ? DenialProofs.NxDomain(name, nsecs, nsec3s, zone) : DenialProofs.NoData(name, type, nsecs, nsec3s, zone);
        return outcome switch
        {
            DenialOutcome.Proven => DnssecVerdict.Secure,
            DenialOutcome.TooManyIterations => DnssecVerdict.Insecure($"{zone} uses NSEC3 with more than {DenialProofs.MaxNsec3Iterations} iterations: treated as unsigned (RFC 9276 §3.2)"),
            _ => DnssecVerdict.Bogus($"the NSEC/NSEC3 records of {zone} do not prove {what}"),
        };
    }

    /// <summary>
    /// The validated keys of <paramref name="zone"/>: from the trust anchor, or from a DS RRset in the parent that the
    /// parent's keys signed. A parent that proves "no DS here" makes the zone Insecure (an unsigned delegation); so does a
    /// DS RRset of algorithms or digests we cannot check (RFC 4035 §5.2).
    /// </summary>
    private async Task<ZoneKeys> ZoneKeysAsync(DomainLabels zone, QueryBudget budget, CancellationToken ct)
    {
        if (_cache.TryGet(zone, out var cached))
            return cached;
        var keys = zone.Equals(_anchors.ZoneLabels)
            ? await AnchoredKeysAsync(zone, budget, ct).ConfigureAwait(false)
            : zone.IsBelow(_anchors.ZoneLabels)
                ? await DelegatedKeysAsync(zone, budget, ct).ConfigureAwait(false)
                : Fail(zone, DnssecVerdict.Insecure($"{zone} lies outside the trust anchor's zone {_anchors.ZoneLabels}"));
        // Secure and insecure outcomes only: a bogus or failed chain is asked again next time, so a fix shows at once.
        if (keys.Verdict.Status is DnssecStatus.Secure or DnssecStatus.Insecure)
            _cache.Add(zone, keys, keys.Ttl);
        return keys;
    }

    private async Task<ZoneKeys> AnchoredKeysAsync(DomainLabels zone, QueryBudget budget, CancellationToken ct)
    {
        var message = await QueryAsync(zone, RrType.Dnskey, budget, ct).ConfigureAwait(false);
        var records = WireMessage.RRset(message.Answers, zone, RrType.Dnskey);
        if (records.Count == 0)
            return Fail(zone, DnssecVerdict.Indeterminate($"the resolver returned no DNSKEY records for the trust anchor's zone {zone}: it does not pass DNSSEC records on (DO bit), so nothing can be validated"));
        var dnskeys = ParseKeys(records);
        var trusted = dnskeys.Where(k => _anchors.Keys.Any(a => a.RData.AsSpan().SequenceEqual(k.RData))
            || _anchors.DsRecords.Any(d => DsDigests.Matches(d, zone, k))).ToList();
        if (trusted.Count == 0)
            return Fail(zone, DnssecVerdict.Bogus($"no DNSKEY of {zone} matches the trust anchor (key tags {string.Join(", ", AnchorTags())})"));
        return VerifyKeySet(zone, records, dnskeys, trusted, message, "the trust anchor");
    }

    private async Task<ZoneKeys> DelegatedKeysAsync(DomainLabels zone, QueryBudget budget, CancellationToken ct)
    {
        var dsMessage = await QueryAsync(zone, RrType.Ds, budget, ct).ConfigureAwait(false);
        if (dsMessage.Rcode is not (WireMessage.NoError or WireMessage.NxDomain))
            return Fail(zone, DnssecVerdict.Indeterminate($"the resolver answered {zone} DS with RCODE {dsMessage.Rcode}"));
        var dsRecords = WireMessage.RRset(dsMessage.Answers, zone, RrType.Ds);
        if (dsRecords.Count == 0)
            return await NoDsAsync(zone, dsMessage, budget, ct).ConfigureAwait(false);

        var dsSignatures = WireMessage.SignaturesOver(dsMessage.Answers, zone, RrType.Ds);
        var parent = dsSignatures.Select(s => s.Signer).FirstOrDefault(s => zone.IsBelow(s));
        if (parent is null)
        {
            // Unsigned DS: fine only if the zone that holds it is itself provably unsigned.
            var holder = await ZoneOfAsync(zone.Parent, budget, ct).ConfigureAwait(false);
            var holderKeys = await ZoneKeysAsync(holder, budget, ct).ConfigureAwait(false);
            return holderKeys.Verdict.Status == DnssecStatus.Secure
                ? Fail(zone, DnssecVerdict.Bogus($"the DS RRset of {zone} has no valid RRSIG from its parent zone {holder}"))
                : Fail(zone, holderKeys.Verdict);
        }
        var parentKeys = await ZoneKeysAsync(parent, budget, ct).ConfigureAwait(false);
        if (parentKeys.Verdict.Status != DnssecStatus.Secure)
            return Fail(zone, parentKeys.Verdict);
        var dsCheck = VerifyRRset(zone, RrType.Ds, dsRecords, dsSignatures, parentKeys);
        if (dsCheck.Verdict.Status != DnssecStatus.Secure)
            return Fail(zone, dsCheck.Verdict);

        var ds = dsRecords.Select(r => Ds.TryParse(r.RData, out var d) ? d : null).Where(d => d is not null).Select(d => d!).ToList();
        var usable = ds.Where(d => SignatureAlgorithms.IsSupported(d.Algorithm) && DsDigests.IsSupported(d.DigestType)).ToList();
        if (usable.Count == 0)
        {
            var algorithms = string.Join(", ", ds.Select(d => $"algorithm {d.Algorithm} digest {d.DigestType}").Distinct());
            return new ZoneKeys(zone, DnssecVerdict.Insecure(
                $"the DS records of {zone} use only {algorithms}, which this validator cannot verify: treated as unsigned (RFC 4035 §5.2)"),
                [], Min(parentKeys.Ttl, Ttl(dsRecords)));
        }

        var keyMessage = await QueryAsync(zone, RrType.Dnskey, budget, ct).ConfigureAwait(false);
        var keyRecords = WireMessage.RRset(keyMessage.Answers, zone, RrType.Dnskey);
        if (keyRecords.Count == 0)
            return Fail(zone, DnssecVerdict.Bogus($"{parent} publishes DS for {zone} (key tags {string.Join(", ", usable.Select(d => d.KeyTag).Distinct())}) but {zone} serves no DNSKEY"));
        var dnskeys = ParseKeys(keyRecords);
        var matched = dnskeys.Where(k => usable.Any(d => DsDigests.Matches(d, zone, k))).ToList();
        if (matched.Count == 0)
            return Fail(zone, DnssecVerdict.Bogus(
                $"no DNSKEY of {zone} (key tags {string.Join(", ", dnskeys.Select(k => k.KeyTag).Distinct())}) matches its DS in {parent} (key tags {string.Join(", ", usable.Select(d => d.KeyTag).Distinct())})"));
        var result = VerifyKeySet(zone, keyRecords, dnskeys, matched, keyMessage, $"the DS in {parent}");
        return result with { Ttl = Min(result.Ttl, Min(parentKeys.Ttl, Ttl(dsRecords))) };
    }

    /// <summary>No DS for the zone: Insecure when the parent proves an unsigned delegation, Bogus when a signed parent proves nothing.</summary>
    private async Task<ZoneKeys> NoDsAsync(DomainLabels zone, WireMessage message, QueryBudget budget, CancellationToken ct)
    {
        var soa = message.Authority.FirstOrDefault(r => r.Type == RrType.Soa && zone.IsBelow(r.Owner));
        var parent = soa?.Owner ?? await ZoneOfAsync(zone.Parent, budget, ct).ConfigureAwait(false);
        var parentKeys = await ZoneKeysAsync(parent, budget, ct).ConfigureAwait(false);
        if (parentKeys.Verdict.Status != DnssecStatus.Secure)
            return Fail(zone, parentKeys.Verdict) with { Ttl = parentKeys.Ttl };
        var (nsecs, nsec3s, failure) = VerifiedDenialRecords(message, parentKeys);
        if (failure is not null)
            return Fail(zone, failure);
        var ttl = Min(parentKeys.Ttl, Ttl(message.Authority.Where(r => r.Type is RrType.Nsec or RrType.Nsec3 or RrType.Soa).ToList()));
        return DenialProofs.NoDs(zone, nsecs, nsec3s, parent) switch
        {
            DenialOutcome.InsecureDelegation => new ZoneKeys(zone, DnssecVerdict.Insecure(
                $"{zone} is delegated from {parent} without a DS record (proven by {(nsecs.Count > 0 ? "NSEC" : "NSEC3")}): the zone is unsigned"), [], ttl),
            DenialOutcome.TooManyIterations => new ZoneKeys(zone, DnssecVerdict.Insecure(
                $"{parent} uses NSEC3 with more than {DenialProofs.MaxNsec3Iterations} iterations: treated as unsigned (RFC 9276 §3.2)"), [], ttl),
            _ => Fail(zone, DnssecVerdict.Bogus($"{parent} is signed but neither publishes a DS for {zone} nor proves that {zone} is an unsigned delegation")),
        };
    }

    /// <summary>The DNSKEY RRset must be signed by one of the keys the parent's DS (or the anchor) vouches for.</summary>
    private ZoneKeys VerifyKeySet(DomainLabels zone, List<WireRecord> records, List<DnsKey> dnskeys, List<DnsKey> trusted, WireMessage message, string vouchedBy)
    {
        var signatures = WireMessage.SignaturesOver(message.Answers, zone, RrType.Dnskey);
        var check = VerifyRRset(zone, RrType.Dnskey, records, signatures, new ZoneKeys(zone, DnssecVerdict.Secure, trusted, TimeSpan.Zero));
        if (check.Verdict.Status != DnssecStatus.Secure)
            return Fail(zone, check.Verdict.Reason is { } reason && !DnssecReasons.IsExpiry(reason)
                ? DnssecVerdict.Bogus($"{reason} (the DNSKEY RRset must be signed by a key {vouchedBy} names)")
                : check.Verdict);
        var usable = dnskeys.Where(k => k.IsZoneKey && !k.IsRevoked && k.Protocol == 3 && SignatureAlgorithms.IsSupported(k.Algorithm)).ToList();
        return new ZoneKeys(zone, DnssecVerdict.Secure, usable, Ttl(records));
    }

    private sealed record RRsetCheck(DnssecVerdict Verdict, int? SourceLabels);

    /// <summary>
    /// Verifies the RRSIGs over one RRset with the zone's keys: one valid signature in its validity window is enough
    /// (RFC 4035 §5.3). Otherwise the verdict is Bogus, with the expired signature named when that is what failed.
    /// </summary>
    private RRsetCheck VerifyRRset(DomainLabels owner, ushort type, List<WireRecord> records, List<Rrsig> signatures, ZoneKeys keys)
    {
        var now = _time.GetUtcNow();
        var rrClass = records[0].Class;
        var ownerLabels = owner.Count > 0 && owner.Labels[0] == "*" ? owner.Count - 1 : owner.Count;
        string? expired = null;
        string? failure = null;
        var fromZone = signatures.Where(s => s.Signer.Equals(keys.Zone)).Take(MaxSignaturesTried).ToList();
        if (fromZone.Count == 0)
            return new RRsetCheck(DnssecVerdict.Bogus($"{owner} {RrType.Name(type)} has no RRSIG by {keys.Zone}"), null);
        foreach (var signature in fromZone)
        {
            var what = $"the RRSIG over {owner} {RrType.Name(type)} (key tag {signature.KeyTag}, algorithm {signature.Algorithm}, signer {keys.Zone})";
            if (signature.Labels > ownerLabels)
            {
                failure ??= $"{what} claims more labels than its owner has";
                continue;
            }
            var candidates = keys.Keys.Where(k => k.KeyTag == signature.KeyTag && k.Algorithm == signature.Algorithm).ToList();
            if (candidates.Count == 0)
            {
                failure ??= SignatureAlgorithms.IsSupported(signature.Algorithm)
                    ? $"{what} names a key {keys.Zone} does not publish (or the DS does not vouch for)"
                    : $"{what} uses an algorithm this validator does not support";
                continue;
            }
            var expiration = Rrsig.ToTime(signature.Expiration, now);
            var inception = Rrsig.ToTime(signature.Inception, now);
            if (now > expiration)
            {
                expired ??= $"{what} expired at {expiration:yyyy-MM-dd HH:mm:ss} UTC";
                continue;
            }
            if (now < inception)
            {
                failure ??= $"{what} is not valid before {inception:yyyy-MM-dd HH:mm:ss} UTC";
                continue;
            }
            var data = SignedData.For(signature, owner, type, rrClass, records.Select(r => r.RData));
            if (candidates.Any(k => SignatureAlgorithms.Verify(k, data, signature.Signature)))
                return new RRsetCheck(DnssecVerdict.Secure, signature.Labels < ownerLabels ? signature.Labels : null);
            failure ??= $"{what} does not verify: the signature is bogus";
        }
        return new RRsetCheck(expired is not null ? DnssecVerdict.Bogus(DnssecReasons.Expired(expired)) : DnssecVerdict.Bogus(failure!), null);
    }

    /// <summary>The NSEC and NSEC3 records of the authority section, each RRset verified with the zone's keys.</summary>
    private (List<Nsec>, List<Nsec3>, DnssecVerdict?) VerifiedDenialRecords(WireMessage message, ZoneKeys keys)
    {
        var nsecs = new List<Nsec>();
        var nsec3s = new List<Nsec3>();
        foreach (var set in message.Authority.Where(r => r.Type is RrType.Nsec or RrType.Nsec3).GroupBy(r => (r.Owner, r.Type)))
        {
            var records = set.ToList();
            var check = VerifyRRset(set.Key.Owner, set.Key.Type, records, WireMessage.SignaturesOver(message.Authority, set.Key.Owner, set.Key.Type), keys);
            if (check.Verdict.Status != DnssecStatus.Secure)
                return (nsecs, nsec3s, check.Verdict);
            foreach (var record in records)
            {
                if (set.Key.Type == RrType.Nsec && Nsec.TryParse(record, out var nsec))
                    nsecs.Add(nsec!);
                else if (set.Key.Type == RrType.Nsec3 && Nsec3.TryParse(record, out var nsec3))
                    nsec3s.Add(nsec3!);
            }
        }
        return (nsecs, nsec3s, null);
    }

    /// <summary>
    /// The zone that holds <paramref name="name"/>, from the SOA of a SOA query's answer or authority section. The claim
    /// is not trusted: the zone's own DS chain (or its parent's proof of an unsigned delegation) must then hold.
    /// </summary>
    private async Task<DomainLabels> ZoneOfAsync(DomainLabels name, QueryBudget budget, CancellationToken ct)
    {
        // Cached within the SOA's TTL like zone keys: an unsigned domain's answers would otherwise cost a SOA query each.
        if (_zoneOf.TryGet(name, out var known))
            return known;
        var message = await QueryAsync(name, RrType.Soa, budget, ct).ConfigureAwait(false);
        var soa = message.Answers.FirstOrDefault(r => r.Type == RrType.Soa && r.Owner.Equals(name))
            ?? message.Authority.FirstOrDefault(r => r.Type == RrType.Soa && name.IsAtOrBelow(r.Owner));
        if (soa is null)
            throw new DnssecLookupException($"the resolver's answer for {name} SOA names no zone");
        _zoneOf.Add(name, soa.Owner, TimeSpan.FromSeconds(soa.Ttl));
        return soa.Owner;
    }

    private async Task<WireMessage> QueryAsync(DomainLabels name, ushort type, QueryBudget budget, CancellationToken ct)
    {
        if (!budget.TryTake())
            throw new DnssecLookupException($"validation needed more than {budget.Limit} queries");
        return await _client.QueryAsync(name, type, checkingDisabled: true, ct).ConfigureAwait(false);
    }

    private static List<DnsKey> ParseKeys(List<WireRecord> records) =>
        records.Select(r => DnsKey.TryParse(r.RData, out var k) ? k : null).Where(k => k is not null).Select(k => k!).ToList();

    private IEnumerable<ushort> AnchorTags() => _anchors.DsRecords.Select(d => d.KeyTag).Concat(_anchors.Keys.Select(k => k.KeyTag)).Distinct();

    private static ZoneKeys Fail(DomainLabels zone, DnssecVerdict verdict) => new(zone, verdict, [], TimeSpan.Zero);

    private static TimeSpan Ttl(IReadOnlyCollection<WireRecord> records) =>
        records.Count == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(records.Min(r => r.Ttl));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>A cap on the queries of one validation: a hostile chain of zones cannot make one answer cost hundreds.</summary>
    private sealed class QueryBudget(int limit)
    {
        private int _used;

        public int Limit => limit;

        public bool TryTake() => Interlocked.Increment(ref _used) <= limit;
    }
}
