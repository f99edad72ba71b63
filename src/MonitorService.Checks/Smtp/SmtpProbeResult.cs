using System.Net;
using MonitorService.Checks.Model;

namespace MonitorService.Checks.Smtp;

/// <summary>How far a STARTTLS probe got before it stopped.</summary>
public enum SmtpProbeStage { Connect, Greeting, StartTls, Handshake, Done }

/// <summary>What one STARTTLS probe of one MX host saw. Raw facts; findings are derived elsewhere.</summary>
public sealed record SmtpProbeResult
{
    public required IPAddress Address { get; init; }
    /// <summary>The stage that failed, or <see cref="SmtpProbeStage.Done"/> when the TLS session was established.</summary>
    public required SmtpProbeStage FailedAt { get; init; }
    public string? Greeting { get; init; }
    public bool StartTlsOffered { get; init; }
    public string? Protocol { get; init; }
    public string? CipherSuite { get; init; }
    public CertificateReport? Certificate { get; init; }
    public string? Error { get; init; }
    /// <summary>The server sent more than <see cref="SmtpReadLimits"/> allow and the probe stopped reading; <see cref="Error"/> says what.</summary>
    public bool CutOff { get; init; }
    /// <summary>The certificates the server sent, DER, leaf first (<see cref="Smtp.PresentedChain"/>); empty without a handshake.</summary>
    public IReadOnlyList<byte[]> PresentedChain { get; init; } = [];

    public bool Connected => FailedAt > SmtpProbeStage.Connect;
}
