using System.Text;
using MailKit;

namespace MonitorService.Checks.Smtp;

/// <summary>
/// Keeps the first lines the server sent (the greeting and the EHLO reply), which MailKit does not expose.
/// Bounded, because the server is attacker-controlled.
/// </summary>
internal sealed class ServerLineRecorder : IProtocolLogger
{
    private const int MaxBytes = 4096;
    private readonly StringBuilder _text = new();

    public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

    /// <summary>The first line of the server's greeting, e.g. "220 mx.example.net ESMTP".</summary>
    public string? Greeting
    {
        get
        {
            var text = _text.ToString();
            var end = text.IndexOf('\n', StringComparison.Ordinal);
            var line = (end < 0 ? text : text[..end]).TrimEnd('\r');
            return line.Length == 0 ? null : line;
        }
    }

    public void LogConnect(Uri uri) { }

    public void LogClient(byte[] buffer, int offset, int count) { }

    public void LogServer(byte[] buffer, int offset, int count)
    {
        var room = MaxBytes - _text.Length;
        if (room > 0)
            _text.Append(Encoding.ASCII.GetString(buffer, offset, Math.Min(count, room)));
    }

    public void Dispose() { }
}
