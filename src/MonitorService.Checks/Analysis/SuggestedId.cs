using System.Security.Cryptography;
using System.Text;

namespace MonitorService.Checks.Analysis;

/// <summary>
/// A new policy id to suggest in fix texts: valid (RFC 8461 §3.1: 1-32 letters or digits), different from the
/// current one, and the same for the same situation, so that an unchanged problem produces an unchanged report
/// (the monitor stores reports content-addressed; a time-based id would make every check look new).
/// </summary>
public static class SuggestedId
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static string For(string? currentId, IEnumerable<string> changes)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{currentId}\n{string.Join('\n', changes)}"));
        var id = new StringBuilder("sts");
        foreach (var b in hash.AsSpan(0, 12))
            id.Append(Alphabet[b % Alphabet.Length]);
        return id.ToString();
    }
}
