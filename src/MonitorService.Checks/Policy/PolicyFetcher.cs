using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MonitorService.Checks.Certificates;
using MonitorService.Checks.Net;

namespace MonitorService.Checks.Policy;

/// <summary>
/// Fetches <c>https://mta-sts.&lt;domain&gt;/.well-known/mta-sts.txt</c> from one address the way RFC 8461 §3.3 asks:
/// SNI set to the policy host, no redirects followed, no HTTP cache, bounded size and time. The certificate is
/// captured and judged by <see cref="CertificateInspector"/> instead of failing the handshake, so a bad certificate
/// is reported with what it is, not as an opaque TLS error.
/// </summary>
public sealed class PolicyFetcher(CertificateInspector inspector, PolicyFetcherSettings settings)
{
    public const string WellKnownPath = "/.well-known/mta-sts.txt";

    public static string PolicyUrl(string domain, int port = 443) =>
        port == 443 ? $"https://mta-sts.{domain}{WellKnownPath}" : $"https://mta-sts.{domain}:{port}{WellKnownPath}";

    public async Task<PolicyFetchResult> FetchAsync(string policyHost, IPAddress address, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        CapturedCertificate? captured = null;
        using var handler = CreateHandler(policyHost, address, c => captured = c);
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Timeout);

        var result = new PolicyFetchResult { Address = address };
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"https://{policyHost}:{settings.Port}{WellKnownPath}"));
            // RFC 8461 §3.3: senders must not use HTTP caching; ask intermediaries for a fresh copy too.
            request.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true };
            request.Headers.UserAgent.ParseAdd("MonitorService/1.0 (MTA-STS monitor)");
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            var (body, tooLarge) = await ReadBoundedAsync(response.Content, deadline.Token).ConfigureAwait(false);
            result = result with
            {
                Status = (int)response.StatusCode,
                ContentType = response.Content.Headers.TryGetValues("Content-Type", out var types) ? Bounded(string.Join(", ", types)) : null,
                Location = response.Headers.Location?.OriginalString is { } location ? Bounded(location) : null,
                Body = body,
                TooLarge = tooLarge,
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result = result with { Failure = PolicyFetchFailure.Timeout, Error = $"no complete answer within {settings.Timeout.TotalSeconds:0.#} s" };
        }
        catch (HttpRequestException e)
        {
            result = result with { Failure = Classify(e, captured), Error = Describe(e) };
        }
        return result with
        {
            Certificate = captured is null ? null : inspector.Inspect(captured.Leaf, captured.Intermediates, policyHost),
            Elapsed = stopwatch.Elapsed,
        };
    }

    private SocketsHttpHandler CreateHandler(string policyHost, IPAddress address, Action<CapturedCertificate> capture) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        MaxResponseHeadersLength = 64,
        ConnectTimeout = settings.Timeout,
        ConnectCallback = async (context, token) =>
        {
            var socket = await GuardedConnector.ConnectAsync(address, settings.Port, settings.Timeout, token).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        },
        SslOptions = new SslClientAuthenticationOptions
        {
            TargetHost = policyHost,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = OfflineChainPolicy.CreateForInspectedHandshake(),
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
            {
                if (certificate is not null)
                    capture(CapturedCertificate.From(certificate, chain));
                return true; // judged by CertificateInspector; a bad certificate becomes a finding, not a lost response
            },
        },
    };

    private async Task<(string Body, bool TooLarge)> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var limit = settings.MaxBodyBytes;
        var buffer = new byte[limit + 1];
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var total = 0;
            int read;
            // Stop one byte past the limit: enough to know the body is too large without reading the rest.
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
                total += read;
            var tooLarge = total > limit;
            return (Encoding.UTF8.GetString(buffer, 0, Math.Min(total, limit)), tooLarge);
        }
    }

    /// <summary>
    /// A header value as reports (finding subjects and messages, stored snapshots) keep it: headers may fill 64 KiB,
    /// and what the server wrote there is attacker text.
    /// </summary>
    private static string Bounded(string value)
    {
        const int MaxChars = 512;
        return value.Length <= MaxChars ? value : value[..MaxChars] + "…";
    }

    private static PolicyFetchFailure Classify(HttpRequestException e, CapturedCertificate? captured)
    {
        if (e.InnerException is TimeoutException)
            return PolicyFetchFailure.Timeout;
        if (e.HttpRequestError == HttpRequestError.SecureConnectionError || (captured is not null && e.InnerException is System.Security.Authentication.AuthenticationException))
            return PolicyFetchFailure.TlsFailed;
        return e.HttpRequestError == HttpRequestError.ConnectionError ? PolicyFetchFailure.ConnectFailed : PolicyFetchFailure.ProtocolError;
    }

    private static string Describe(HttpRequestException e)
    {
        var inner = e.InnerException;
        while (inner?.InnerException is not null && inner is not TimeoutException)
            inner = inner.InnerException;
        return inner is null ? e.Message : $"{e.Message} ({inner.Message})";
    }

    private sealed record CapturedCertificate(X509Certificate2 Leaf, IReadOnlyList<X509Certificate2> Intermediates)
    {
        // The handshake's objects are disposed after the callback: keep our own references. A duplicate shares the
        // parsed certificate; loading it again from its bytes costs about 0.25 ms of CPU each (OpenSSL 3 decoding).
        public static CapturedCertificate From(X509Certificate certificate, X509Chain? chain) => new(
            new X509Certificate2(certificate),
            chain?.ChainPolicy.ExtraStore.Select(c => new X509Certificate2(c)).ToList() ?? []);
    }
}

/// <summary>Port, time and size limits of a policy fetch.</summary>
public sealed record PolicyFetcherSettings(int Port, TimeSpan Timeout, int MaxBodyBytes = 64 * 1024);
