namespace MonitorService.Testing.Dns.Dnssec;

/// <summary>How a zone of the test hierarchy proves that names and types do not exist.</summary>
public enum TestDenial
{
    Nsec,
    Nsec3,
    /// <summary>NSEC3 with the opt-out flag: unsigned delegations are left out of the chain (RFC 5155 §6).</summary>
    Nsec3OptOut,
}

/// <summary>
/// One zone of a <see cref="TestDnssecHierarchy"/> and the ways a test may break it. Data records come from the
/// server's <see cref="TestDnsZone"/>; SOA, NS, DNSKEY, DS, NSEC/NSEC3 and RRSIG are made here, signed on the fly.
/// </summary>
public sealed class TestSignedZone : IDisposable
{
    internal TestSignedZone(string apex, TestZoneKey? key)
    {
        Apex = DnsName.Normalize(apex);
        Key = key;
    }

    /// <summary>Normalised apex ("" for the root).</summary>
    public string Apex { get; }

    /// <summary>The zone's signing key; null for an unsigned zone.</summary>
    public TestZoneKey? Key { get; }

    public bool Signed => Key is not null;

    public TestDenial Denial { get; set; } = TestDenial.Nsec;

    /// <summary>NSEC3 iterations (RFC 9276 recommends 0).</summary>
    public ushort Nsec3Iterations { get; set; }

    /// <summary>False: the parent publishes no DS for this signed zone (an island of security: insecure).</summary>
    public bool DsInParent { get; set; } = true;

    /// <summary>Instead of this zone's real DS, the parent publishes one of this algorithm with a digest nobody can check.</summary>
    public byte? ParentDsAlgorithm { get; set; }

    /// <summary>Signatures over data RRsets (everything but DNSKEY) have a flipped byte: bogus.</summary>
    public bool CorruptSignatures { get; set; }

    /// <summary>Signatures over data RRsets (everything but DNSKEY) expired this long ago.</summary>
    public TimeSpan? ExpiredSince { get; set; }

    /// <summary>Data RRsets are served without their RRSIGs (a stripping middlebox).</summary>
    public bool StripSignatures { get; set; }

    /// <summary>TTL of SOA, NS, DNSKEY, DS and the denial records.</summary>
    public uint KeyTtl { get; set; } = 3600;

    public void Dispose() => Key?.Dispose();
}
