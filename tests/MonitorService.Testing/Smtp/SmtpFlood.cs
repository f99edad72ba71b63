using System.Text;

namespace MonitorService.Testing;

/// <summary>What the flooding behaviours of <see cref="SmtpTestServer"/> send, one chunk at a time.</summary>
internal static class SmtpFlood
{
    public const int ChunkBytes = 16 * 1024;

    public static bool IsFlood(SmtpBehavior behavior) => behavior is SmtpBehavior.FloodGreeting or SmtpBehavior.FloodEhlo
        or SmtpBehavior.FloodEhloAfterTls or SmtpBehavior.GreetingWithoutLineEnd or SmtpBehavior.LongGreetingLine;

    /// <summary>16 KiB of <c>PREFIX flood flood ...</c> lines (64 bytes each), or of bare filler without line ends.</summary>
    public static byte[] Chunk(string? prefix)
    {
        var text = new StringBuilder(ChunkBytes);
        if (prefix is null)
        {
            text.Append('x', ChunkBytes);
        }
        else
        {
            var line = prefix + new string('f', 62 - prefix.Length) + "\r\n";
            while (text.Length + line.Length <= ChunkBytes)
            {
                text.Append(line);
            }
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
