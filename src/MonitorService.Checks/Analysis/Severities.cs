using MonitorService.Checks.Model;

namespace MonitorService.Checks.Analysis;

internal static class Severities
{
    /// <summary>
    /// "E/W": under <c>enforce</c> senders refuse to deliver (RFC 8461 §5), so it is an error; under testing or
    /// without a policy mail still flows and the problem is a warning.
    /// </summary>
    public static Severity ByMode(StsMode? mode) => mode == StsMode.Enforce ? Severity.Error : Severity.Warning;

    public static string Consequence(StsMode? mode) => mode switch
    {
        StsMode.Enforce => "Senders that enforce MTA-STS will not deliver mail to this host.",
        StsMode.Testing => "In testing mode senders still deliver, but report the failure; under enforce they would refuse this host.",
        _ => "Without an enforced MTA-STS policy mail still flows, but this host would fail an enforced policy.",
    };
}
