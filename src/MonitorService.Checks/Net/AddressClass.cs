namespace MonitorService.Checks.Net;

/// <summary>What kind of address a target is; everything but <see cref="Public"/> is refused by default.</summary>
public enum AddressClass
{
    Public,
    /// <summary>0.0.0.0, :: — "any address", nothing to connect to.</summary>
    Unspecified,
    Loopback,
    /// <summary>RFC 1918, and IPv6 site-local (deprecated) that served the same purpose.</summary>
    Private,
    /// <summary>169.254.0.0/16 (cloud metadata endpoints live here), fe80::/10.</summary>
    LinkLocal,
    /// <summary>100.64.0.0/10, RFC 6598.</summary>
    CarrierGradeNat,
    /// <summary>fc00::/7, RFC 4193.</summary>
    UniqueLocal,
    Multicast,
    /// <summary>RFC 5737 and RFC 3849 / RFC 9637: examples that must not be routed (and are free blackholes).</summary>
    Documentation,
    /// <summary>198.18.0.0/15, 2001:2::/48.</summary>
    Benchmarking,
    /// <summary>Anything else not on the public internet: "this network", IETF assignments, reserved, broadcast, unallocated IPv6.</summary>
    Reserved,
}

public static class AddressClasses
{
    /// <summary>For reports: says which kind was refused instead of naming an internal address.</summary>
    public static string Describe(this AddressClass value) => value switch
    {
        AddressClass.Public => "a public address",
        AddressClass.Unspecified => "an unspecified address",
        AddressClass.Loopback => "a loopback address",
        AddressClass.Private => "a private address",
        AddressClass.LinkLocal => "a link-local address",
        AddressClass.CarrierGradeNat => "a carrier-grade NAT address",
        AddressClass.UniqueLocal => "a unique-local address",
        AddressClass.Multicast => "a multicast address",
        AddressClass.Documentation => "a documentation address",
        AddressClass.Benchmarking => "a benchmarking address",
        _ => "a reserved address",
    };
}
