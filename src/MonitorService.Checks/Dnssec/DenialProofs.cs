using System.Security.Cryptography;

namespace MonitorService.Checks.Dnssec;

/// <summary>What a set of (already verified) NSEC or NSEC3 records proves about a name and type.</summary>
internal enum DenialOutcome
{
    /// <summary>The absence is proven.</summary>
    Proven,
    /// <summary>For DS: the name is a delegation without DS (NS present, DS and SOA absent), or covered by an opt-out NSEC3.</summary>
    InsecureDelegation,
    /// <summary>The records do not prove what the answer claims.</summary>
    NotProven,
    /// <summary>NSEC3 with more iterations than RFC 9276 §3.2 lets validators accept: treated as insecure.</summary>
    TooManyIterations,
}

/// <summary>
/// Proofs of non-existence (RFC 4035 §5.4 for NSEC, RFC 5155 §8 for NSEC3). Pure functions over records whose
/// signatures the caller has verified; <paramref name="zone"/> is the zone that signed them.
/// </summary>
internal static class DenialProofs
{
    /// <summary>RFC 9276 §3.2: validators may treat NSEC3 with more iterations as insecure; 150 is what BIND and Unbound use.</summary>
    public const int MaxNsec3Iterations = 150;

    /// <summary>NODATA: the name exists (or is an empty non-terminal) and has no <paramref name="type"/> (and no CNAME).</summary>
    public static DenialOutcome NoData(DomainLabels name, ushort type, IReadOnlyList<Nsec> nsecs, IReadOnlyList<Nsec3> nsec3s, DomainLabels zone)
    {
        if (nsecs.Count > 0)
        {
            var match = nsecs.FirstOrDefault(n => n.Owner.Equals(name));
            if (match is not null)
                return !match.Types.Has(type) && !match.Types.Has(RrType.Cname) ? DenialOutcome.Proven : DenialOutcome.NotProven;
            // An empty non-terminal has no NSEC of its own; the NSEC before it points to a name below it.
            return nsecs.Any(n => n.Covers(name) && n.Next.IsBelow(name)) ? DenialOutcome.Proven : DenialOutcome.NotProven;
        }
        return Nsec3NoData(name, type, nsec3s, zone);
    }

    /// <summary>NXDOMAIN: the name does not exist and no wildcard could have produced it.</summary>
    public static DenialOutcome NxDomain(DomainLabels name, IReadOnlyList<Nsec> nsecs, IReadOnlyList<Nsec3> nsec3s, DomainLabels zone)
    {
        if (nsecs.Count > 0)
        {
            var covering = nsecs.FirstOrDefault(n => n.Covers(name));
            if (covering is null)
                return DenialOutcome.NotProven;
            // The closest encloser is the longest ancestor shared with either end of the covering NSEC.
            var encloser = Longest(CommonAncestor(name, covering.Owner), CommonAncestor(name, covering.Next));
            if (!encloser.IsAtOrBelow(zone))
                return DenialOutcome.NotProven;
            var wildcard = encloser.Child("*");
            return nsecs.Any(n => n.Covers(wildcard)) ? DenialOutcome.Proven : DenialOutcome.NotProven;
        }
        if (!TryParameters(nsec3s, zone, out var p))
            return DenialOutcome.NotProven;
        if (p.Iterations > MaxNsec3Iterations)
            return DenialOutcome.TooManyIterations;
        if (ClosestEncloser(name, nsec3s, zone, p) is not { } proof)
            return DenialOutcome.NotProven;
        var wildcardHash = Hash(proof.Encloser.Child("*"), p);
        return nsec3s.Any(n => n.Covers(wildcardHash)) ? DenialOutcome.Proven : DenialOutcome.NotProven;
    }

    /// <summary>
    /// DS absence at a delegation point: <see cref="DenialOutcome.InsecureDelegation"/> when the parent proves a
    /// delegation without DS (NSEC or NSEC3 at the name with NS and without DS and SOA, RFC 4035 §5.2), or covers the
    /// name with an opt-out NSEC3 (RFC 5155 §8.9). A proof for a name that is not a delegation proves nothing here.
    /// </summary>
    public static DenialOutcome NoDs(DomainLabels name, IReadOnlyList<Nsec> nsecs, IReadOnlyList<Nsec3> nsec3s, DomainLabels zone)
    {
        if (nsecs.Count > 0)
        {
            var match = nsecs.FirstOrDefault(n => n.Owner.Equals(name));
            return match is not null && IsUnsignedDelegation(match.Types) ? DenialOutcome.InsecureDelegation : DenialOutcome.NotProven;
        }
        if (!TryParameters(nsec3s, zone, out var p))
            return DenialOutcome.NotProven;
        if (p.Iterations > MaxNsec3Iterations)
            return DenialOutcome.TooManyIterations;
        var hash = Hash(name, p);
        var direct = nsec3s.FirstOrDefault(n => n.Matches(hash));
        if (direct is not null)
            return IsUnsignedDelegation(direct.Types) ? DenialOutcome.InsecureDelegation : DenialOutcome.NotProven;
        return ClosestEncloser(name, nsec3s, zone, p) is { NextCloserOptOut: true } ? DenialOutcome.InsecureDelegation : DenialOutcome.NotProven;
    }

    /// <summary>
    /// A wildcard expansion (RRSIG labels fewer than the owner's, RFC 4035 §5.3.4) is only valid when the records also
    /// prove that no closer name exists: an NSEC covering the name, or an NSEC3 covering the next closer name.
    /// </summary>
    public static bool ExpansionAllowed(DomainLabels owner, int sourceLabels, IReadOnlyList<Nsec> nsecs, IReadOnlyList<Nsec3> nsec3s, DomainLabels zone)
    {
        if (nsecs.Any(n => n.Covers(owner)))
            return true;
        if (!TryParameters(nsec3s, zone, out var p) || p.Iterations > MaxNsec3Iterations || sourceLabels + 1 > owner.Count)
            return false;
        var nextCloser = Hash(owner.Ancestor(sourceLabels + 1), p);
        return nsec3s.Any(n => n.Covers(nextCloser));
    }

    private static bool IsUnsignedDelegation(TypeBitmap types) => types.Has(RrType.Ns) && !types.Has(RrType.Ds) && !types.Has(RrType.Soa);

    private static DenialOutcome Nsec3NoData(DomainLabels name, ushort type, IReadOnlyList<Nsec3> nsec3s, DomainLabels zone)
    {
        if (!TryParameters(nsec3s, zone, out var p))
            return DenialOutcome.NotProven;
        if (p.Iterations > MaxNsec3Iterations)
            return DenialOutcome.TooManyIterations;
        var match = nsec3s.FirstOrDefault(n => n.Matches(Hash(name, p)));
        return match is not null && !match.Types.Has(type) && !match.Types.Has(RrType.Cname) ? DenialOutcome.Proven : DenialOutcome.NotProven;
    }

    private sealed record Nsec3Parameters(byte Algorithm, ushort Iterations, byte[] Salt, DomainLabels Zone);

    private sealed record EncloserProof(DomainLabels Encloser, bool NextCloserOptOut);

    /// <summary>The NSEC3 records' parameters: SHA-1 (the only hash defined), owners one label below the zone.</summary>
    private static bool TryParameters(IReadOnlyList<Nsec3> nsec3s, DomainLabels zone, out Nsec3Parameters parameters)
    {
        parameters = null!;
        var first = nsec3s.FirstOrDefault(n => n.HashAlgorithm == 1 && n.Owner.Parent.Equals(zone));
        if (first is null)
            return false;
        parameters = new Nsec3Parameters(first.HashAlgorithm, first.Iterations, first.Salt, zone);
        return true;
    }

    /// <summary>RFC 5155 §8.3: the closest encloser has a matching NSEC3 and the next closer name is covered by one.</summary>
    private static EncloserProof? ClosestEncloser(DomainLabels name, IReadOnlyList<Nsec3> nsec3s, DomainLabels zone, Nsec3Parameters p)
    {
        var nextCloser = name;
        var candidate = name.Parent;
        while (candidate.IsAtOrBelow(zone))
        {
            var hash = Hash(candidate, p);
            if (nsec3s.Any(n => n.Matches(hash)))
            {
                var covering = nsec3s.FirstOrDefault(n => n.Covers(Hash(nextCloser, p)));
                return covering is null ? null : new EncloserProof(candidate, covering.OptOut);
            }
            if (candidate.IsRoot)
                break;
            nextCloser = candidate;
            candidate = candidate.Parent;
        }
        return null;
    }

    /// <summary>RFC 5155 §5: IH(salt, x, 0) = H(x | salt); IH(salt, x, k) = H(IH(salt, x, k-1) | salt).</summary>
    private static byte[] Hash(DomainLabels name, Nsec3Parameters p)
    {
        var digest = SHA1.HashData([.. name.ToWire(), .. p.Salt]);
        for (var i = 0; i < p.Iterations; i++)
            digest = SHA1.HashData([.. digest, .. p.Salt]);
        return digest;
    }

    internal static byte[] Nsec3Hash(DomainLabels name, ushort iterations, byte[] salt) =>
        Hash(name, new Nsec3Parameters(1, iterations, salt, DomainLabels.Root));

    private static DomainLabels CommonAncestor(DomainLabels a, DomainLabels b)
    {
        var shared = 0;
        while (shared < Math.Min(a.Count, b.Count) && a.Labels[a.Count - 1 - shared] == b.Labels[b.Count - 1 - shared])
            shared++;
        return a.Ancestor(shared);
    }

    private static DomainLabels Longest(DomainLabels a, DomainLabels b) => a.Count >= b.Count ? a : b;
}
