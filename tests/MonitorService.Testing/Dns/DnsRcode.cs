namespace MonitorService.Testing.Dns;

/// <summary>RCODE values (RFC 1035 4.1.1).</summary>
internal static class DnsRcode
{
    public const int NoError = 0;
    public const int FormErr = 1;
    public const int ServFail = 2;
    public const int NxDomain = 3;
    public const int NotImp = 4;
    public const int Refused = 5;
}
