using System.Net;

namespace MonitorService.Testing;

/// <summary>One HTTP request seen by <see cref="PolicyHttpsServer"/>.</summary>
/// <param name="LocalAddress">Server IP the client connected to.</param>
/// <param name="SniHostName">TLS server name sent by the client (null when none).</param>
/// <param name="HostHeader">Host header without port.</param>
public sealed record HttpsRequestRecord(
    DateTimeOffset Time,
    string ConnectionId,
    IPAddress LocalAddress,
    string? SniHostName,
    string? HostHeader,
    string Method,
    string Path,
    string? UserAgent);

/// <summary>One TCP connection accepted by <see cref="PolicyHttpsServer"/>, recorded before any TLS.</summary>
public sealed class HttpsConnectionRecord
{
    internal HttpsConnectionRecord(string connectionId, IPAddress localAddress, EndPoint? remoteEndPoint)
    {
        ConnectionId = connectionId;
        LocalAddress = localAddress;
        RemoteEndPoint = remoteEndPoint;
    }

    public DateTimeOffset ConnectedAt { get; } = DateTimeOffset.UtcNow;

    public string ConnectionId { get; }

    public IPAddress LocalAddress { get; }

    public EndPoint? RemoteEndPoint { get; }

    /// <summary>SNI from the ClientHello once the TLS handshake started; null before or when the client sent none.</summary>
    public string? SniHostName { get; internal set; }

    /// <summary>True once the client sent a ClientHello.</summary>
    public bool TlsHandshakeStarted { get; internal set; }
}
