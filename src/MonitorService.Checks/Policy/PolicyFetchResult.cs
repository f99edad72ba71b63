using System.Net;
using MonitorService.Checks.Model;

namespace MonitorService.Checks.Policy;

/// <summary>Why a fetch produced no HTTP response.</summary>
public enum PolicyFetchFailure { None, Blocked, ConnectFailed, Timeout, TlsFailed, ProtocolError }

/// <summary>What one address of the policy host answered. Raw facts only; findings are derived elsewhere.</summary>
public sealed record PolicyFetchResult
{
    public required IPAddress Address { get; init; }
    public PolicyFetchFailure Failure { get; init; }
    public string? Error { get; init; }
    public int? Status { get; init; }
    /// <summary>The Content-Type header as sent, or null when the server sent none.</summary>
    public string? ContentType { get; init; }
    public string? Location { get; init; }
    public string? Body { get; init; }
    /// <summary>True when the body went past the size limit; <see cref="Body"/> then holds only what fits.</summary>
    public bool TooLarge { get; init; }
    public CertificateReport? Certificate { get; init; }
    public TimeSpan Elapsed { get; init; }

    public bool GotResponse => Status is not null;
}
