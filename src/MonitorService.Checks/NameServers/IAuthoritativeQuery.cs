using System.Net;

namespace MonitorService.Checks.NameServers;

/// <summary>Asks one authoritative server one question directly, without recursion (RD=0), within one time limit.</summary>
public interface IAuthoritativeQuery
{
    /// <summary>Never throws for what the server does (silence, REFUSED, garbage); only for <paramref name="cancellationToken"/>.</summary>
    Task<AuthoritativeAnswer> AskAsync(IPEndPoint server, AuthoritativeQuestion question, CancellationToken cancellationToken);
}
