namespace MonitorService.Testing.Dns;

/// <summary>How <see cref="TestDnsServer"/> reacts to queries for one name (any type).</summary>
public enum DnsBehavior
{
    /// <summary>Answer from the zone like an authoritative server.</summary>
    Normal,

    /// <summary>Answer with RCODE=SERVFAIL (2) and no records.</summary>
    ServFail,

    /// <summary>
    /// What a validating resolver does with data it judged bogus: SERVFAIL (2) without the CD bit, the data (from the
    /// zone or the signed hierarchy) with it.
    /// </summary>
    ServFailUnlessCheckingDisabled,

    /// <summary>Answer with RCODE=REFUSED (5) and no records.</summary>
    Refused,

    /// <summary>Never answer (UDP or TCP); the client has to time out.</summary>
    Hang,

    /// <summary>UDP answers carry TC=1 and no records, forcing a TCP retry; TCP answers normally.</summary>
    Truncate,

    /// <summary>Like <see cref="Truncate"/>, but the TCP answer is sent one byte per <see cref="TestDnsServer.TrickleInterval"/>.</summary>
    TrickleTcp,
}
