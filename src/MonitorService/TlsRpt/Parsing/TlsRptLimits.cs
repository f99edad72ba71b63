namespace MonitorService.TlsRpt.Parsing;

/// <summary>
/// Caps on what one report may make us store. String caps are the column lengths (longer values are cut, not
/// refused); count caps bound the rows one report can add. The real reports of the large senders stay far below
/// them: a policy per policy domain and a failure detail per (result, MX, IP) combination seen that day.
/// </summary>
public static class TlsRptLimits
{
    public const int MaxJsonDepth = 16;
    public const int MaxPolicies = 1_000;
    public const int MaxFailureDetailsPerPolicy = 1_000;
    public const int MaxFailureDetailsPerReport = 10_000;
    public const int MaxPolicyStrings = 100;
    public const int MaxPolicyStringLength = 1_024;
    public const int MaxMxHosts = 100;

    public const int OrganizationName = 256;
    public const int ReportId = 512;
    public const int ContactInfo = 512;
    public const int PolicyType = 32;
    public const int DomainName = 253;
    public const int ResultType = 64;
    public const int IpAddress = 64;
    public const int FreeText = 1_024;
}
