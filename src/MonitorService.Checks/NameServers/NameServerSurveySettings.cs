namespace MonitorService.Checks.NameServers;

/// <summary>The bounds of one check's name-server survey (from <see cref="CheckOptions"/>).</summary>
/// <param name="MaxServers">Distinct server names asked, across all zones.</param>
/// <param name="MaxAddressesPerServer">Addresses asked per server.</param>
/// <param name="Port">The port authoritative servers are asked on (53 outside tests).</param>
/// <param name="MaxMxHosts">MX hosts whose TLSA records are asked for.</param>
public sealed record NameServerSurveySettings(int MaxServers, int MaxAddressesPerServer, int Port, int MaxMxHosts);
