using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Options;
using MonitorService.Checks;
using MonitorService.Checks.Certificates;
using MonitorService.Checks.Dns;
using MonitorService.Checks.Net;

namespace MonitorService.Channels.Delivery;

/// <summary>
/// POSTs an alert to a URL a user typed in, as carefully as the check engine talks to a domain's servers: the host is
/// resolved with the engine's resolvers (never the operating system's), every address is judged by the engine's
/// <see cref="AddressGuard"/> and the connection goes only to an address that passed (a ConnectCallback: no proxy, no
/// second lookup that could answer differently); no redirect is followed; certificate chains are built offline (no
/// AIA download, no OCSP/CRL fetch); headers and body are read up to fixed limits and the whole exchange has a time
/// limit. A handler per delivery: nothing is pooled between receivers.
/// </summary>
public sealed class GuardedWebhookClient(IOptions<AlertChannelOptions> options, IOptions<CheckOptions> checks)
{
    /// <summary>Addresses tried per delivery, in the order the lookup gave them.</summary>
    public const int MaxAddresses = 4;

    // The lookup is part of the delivery: it may take what the delivery's time limit leaves (three tries of a third).
    private readonly Lazy<IDnsResolver> _dns = new(() => new DnsClientResolver(checks.Value.ResolverEndPoints(), options.Value.Timeout));
    private readonly Lazy<X509Certificate2Collection?> _extraRoots = new(() => LoadRoots(options.Value.CaFile));

    private AlertChannelOptions Options => options.Value;

    public async Task<WebhookExchange> PostAsync(Uri url, byte[] body, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Options.Timeout);
        try
        {
            var (addresses, refusal) = await AllowedAddressesAsync(url, deadline.Token);
            if (refusal is not null)
                return refusal;
            using var handler = CreateHandler(addresses);
            using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body), Version = HttpVersion.Version11 };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.UserAgent.ParseAdd("MonitorService/1.0 (alert channel)");
            request.Headers.ExpectContinue = false;
            foreach (var (name, value) in headers)
                request.Headers.TryAddWithoutValidation(name, value);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var text = await ReadBoundedAsync(response.Content, deadline.Token);
            return new WebhookExchange((int)response.StatusCode, response.ReasonPhrase, text,
                RetryAfterHeader.Wait(response.Headers.RetryAfter, DateTimeOffset.UtcNow),
                response.Headers.Location?.OriginalString, false, null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return WebhookExchange.NoAnswer($"no complete answer within {Options.Timeout.TotalSeconds:0.#} s (Alerts:Webhooks:Timeout)");
        }
        catch (HttpRequestException e)
        {
            return WebhookExchange.NoAnswer(Describe(e));
        }
        catch (IOException e)
        {
            return WebhookExchange.NoAnswer($"the connection broke: {e.Message}");
        }
    }

    private async Task<(IReadOnlyList<IPAddress> Addresses, WebhookExchange? Refusal)> AllowedAddressesAsync(Uri url, CancellationToken ct)
    {
        IReadOnlyList<IPAddress> found;
        if (url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
            found = [IPAddress.Parse(url.DnsSafeHost)];
        else
        {
            var answer = await _dns.Value.GetAddressesAsync(url.IdnHost, ct);
            if (answer.Outcome == DnsOutcome.Failed)
                return ([], WebhookExchange.NoAnswer($"looking up {url.IdnHost} failed: {answer.Error}"));
            if (answer.Records.Count == 0)
                return ([], WebhookExchange.NoAnswer($"{url.IdnHost} has no address in DNS"));
            found = answer.Records;
        }
        var guard = new AddressGuard(Options.AllowPrivateAddresses);
        var allowed = found.Where(guard.IsAllowed).Take(MaxAddresses).ToList();
        if (allowed.Count > 0)
            return (allowed, null);
        // By class, never the address: the log is the team's, the network layout is not.
        var classes = string.Join(", ", found.Select(a => AddressGuard.Classify(a).Describe()).Distinct());
        return ([], WebhookExchange.Refused($"{url.IdnHost} points only at {classes}; alerts are not sent there (Alerts:Webhooks:AllowPrivateAddresses)"));
    }

    private SocketsHttpHandler CreateHandler(IReadOnlyList<IPAddress> addresses) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        MaxResponseHeadersLength = AlertChannelOptions.MaxResponseHeaderKiB,
        // An unread rest of a body is not drained for connection reuse: the connection is closed instead.
        MaxResponseDrainSize = 0,
        ConnectTimeout = Options.ConnectTimeout,
        ConnectCallback = async (context, token) => new NetworkStream(await ConnectAsync(addresses, context.DnsEndPoint.Port, token), ownsSocket: true),
        SslOptions = new SslClientAuthenticationOptions
        {
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = OfflineChainPolicy.Create(),
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Trusted(certificate, chain, errors),
        },
    };

    private async Task<Socket> ConnectAsync(IReadOnlyList<IPAddress> addresses, int port, CancellationToken ct)
    {
        var failures = new List<string>();
        foreach (var address in addresses)
        {
            try
            {
                return await GuardedConnector.ConnectAsync(address, port, Options.ConnectTimeout, ct);
            }
            catch (Exception e) when (e is SocketException or TimeoutException)
            {
                failures.Add(e is SocketException s ? s.SocketErrorCode.ToString() : "timed out");
            }
        }
        throw new HttpRequestException(HttpRequestError.ConnectionError, $"cannot connect to port {port} ({string.Join(", ", failures)})");
    }

    /// <summary>The system's roots, offline; or, when Alerts:Webhooks:CaFile is set, also its roots (again offline).</summary>
    private bool Trusted(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
            return true;
        if (certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors || _extraRoots.Value is not { } roots)
            return false;
        using var chain = new X509Chain { ChainPolicy = OfflineChainPolicy.Create() };
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        if (presented is not null)
            chain.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    /// <summary>At most <see cref="AlertChannelOptions.MaxResponseBytes"/>: a receiver that floods stops being read.</summary>
    private static async Task<string> ReadBoundedAsync(HttpContent content, CancellationToken ct)
    {
        var buffer = new byte[AlertChannelOptions.MaxResponseBytes];
        await using var stream = await content.ReadAsStreamAsync(ct);
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), ct)) > 0)
            total += read;
        return Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static string Describe(HttpRequestException e)
    {
        var inner = e.InnerException;
        while (inner?.InnerException is not null)
            inner = inner.InnerException;
        var what = e.HttpRequestError switch
        {
            HttpRequestError.SecureConnectionError => "the TLS handshake failed (is the receiver's certificate valid for its name and trusted?)",
            HttpRequestError.ConnectionError => "cannot connect",
            HttpRequestError.ConfigurationLimitExceeded => "the response headers are larger than 64 KiB",
            _ => "the exchange failed",
        };
        return inner is null || inner.Message == e.Message ? $"{what}: {e.Message}" : $"{what}: {e.Message} ({inner.Message})";
    }

    private static X509Certificate2Collection? LoadRoots(string? file)
    {
        if (file is null)
            return null;
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(file);
        return roots;
    }
}
