using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
using MimeKit;
using MonitorService.TlsRpt;

namespace MonitorService.Tests.TlsRpt.Mailbox;

/// <summary>
/// TEST-ONLY stand-in for <see cref="ITlsRptIntake"/>, used by the mailbox tests until the real intake (branch
/// tlsrpt-intake) is merged: finds an <c>application/tlsrpt+gzip</c> or <c>+json</c> part, reads organisation and
/// report-id from it, and remembers them in memory (Stored, then Duplicate). No report part: NoReport; unreadable
/// JSON: Invalid. It exists to drive the mailbox job's moves, not to stand for the real parser's rules.
/// </summary>
public sealed class TestOnlyTlsRptIntake : ITlsRptIntake
{
    private readonly ConcurrentDictionary<string, byte> _stored = new();
    private readonly ConcurrentQueue<(string? Detail, TlsRptIntakeResult Result)> _calls = new();
    private int _inFlight;
    private int _maxInFlight;

    /// <summary>Each message takes at least this long, so overlapping readers would overlap here.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    public IReadOnlyList<(string? Detail, TlsRptIntakeResult Result)> Calls => [.. _calls];

    public int StoredCount => _stored.Count;

    /// <summary>The most messages ever handed over at the same moment.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public Task<TlsRptIntakeResult> AcceptReportAsync(ReadOnlyMemory<byte> body, TlsRptOrigin origin, CancellationToken cancellationToken)
        => Task.FromResult(Parse(body.ToArray()));

    public async Task<TlsRptIntakeResult> AcceptMessageAsync(MimeMessage message, TlsRptOrigin origin, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }
        try
        {
            if (Delay > TimeSpan.Zero)
                await Task.Delay(Delay, cancellationToken);
            var part = message.BodyParts.OfType<MimePart>()
                .FirstOrDefault(p => p.ContentType.MimeType is "application/tlsrpt+gzip" or "application/tlsrpt+json");
            TlsRptIntakeResult result;
            if (part is null)
            {
                result = new TlsRptIntakeResult(TlsRptIntakeOutcome.NoReport, "no application/tlsrpt part");
            }
            else
            {
                using var content = new MemoryStream();
                if (part.Content is { } body)
                    await body.DecodeToAsync(content, cancellationToken);
                result = Parse(content.ToArray());
            }
            _calls.Enqueue((origin.Detail, result));
            return result;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private TlsRptIntakeResult Parse(byte[] body)
    {
        try
        {
            if (body is [0x1f, 0x8b, ..])
            {
                using var gzip = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
                using var inflated = new MemoryStream();
                gzip.CopyTo(inflated);
                body = inflated.ToArray();
            }
            using var json = JsonDocument.Parse(body);
            var key = $"{json.RootElement.GetProperty("organization-name").GetString()}|{json.RootElement.GetProperty("report-id").GetString()}";
            return _stored.TryAdd(key, 0)
                ? new TlsRptIntakeResult(TlsRptIntakeOutcome.Stored, StoredReportId: _stored.Count)
                : new TlsRptIntakeResult(TlsRptIntakeOutcome.Duplicate, "stored before");
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidDataException)
        {
            return new TlsRptIntakeResult(TlsRptIntakeOutcome.Invalid, $"not a TLS-RPT report: {ex.Message}");
        }
    }
}
