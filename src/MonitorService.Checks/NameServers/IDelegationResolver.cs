namespace MonitorService.Checks.NameServers;

/// <summary>Asks the engine's recursive resolver for the NS records at a name (the delegation of a zone).</summary>
public interface IDelegationResolver
{
    /// <summary>Name server host names at <paramref name="name"/>: lower case, no trailing dot, sorted, distinct.</summary>
    Task<Dns.DnsAnswer<string>> GetNameServersAsync(string name, CancellationToken cancellationToken);
}
