using System.Text;

namespace MonitorService.Testing.Dns;

/// <summary>Domain name helpers: normalisation for lookups and wire encoding (uncompressed).</summary>
internal static class DnsName
{
    public const int MaxWireLength = 255;
    public const int MaxLabelLength = 63;

    /// <summary>Lower-case (ASCII only), without trailing dot; the root is "".</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string trimmed = name.EndsWith('.') ? name[..^1] : name;
        var sb = new StringBuilder(trimmed.Length);
        foreach (char c in trimmed)
        {
            sb.Append(c is >= 'A' and <= 'Z' ? (char)(c + 32) : c);
        }

        return sb.ToString();
    }

    /// <summary>Validates a zone name (ASCII labels of 1..63 bytes, at most 255 bytes on the wire) and normalises it.</summary>
    public static string Validate(string name)
    {
        string normalized = Normalize(name);
        _ = Encode(normalized);
        return normalized;
    }

    /// <summary>Wire form of a dotted name. Characters are taken as Latin-1 bytes; names from zone input must be ASCII.</summary>
    public static byte[] Encode(string name)
    {
        string trimmed = name.EndsWith('.') ? name[..^1] : name;
        var bytes = new List<byte>(trimmed.Length + 2);
        if (trimmed.Length > 0)
        {
            foreach (string label in trimmed.Split('.'))
            {
                if (label.Length is 0 or > MaxLabelLength)
                {
                    throw new ArgumentException($"Invalid label length in DNS name '{name}'.", nameof(name));
                }

                bytes.Add((byte)label.Length);
                foreach (char c in label)
                {
                    if (c > 0xFF)
                    {
                        throw new ArgumentException($"DNS name '{name}' contains a non-Latin-1 character.", nameof(name));
                    }

                    bytes.Add((byte)c);
                }
            }
        }

        bytes.Add(0);
        if (bytes.Count > MaxWireLength)
        {
            throw new ArgumentException($"DNS name '{name}' is longer than 255 bytes.", nameof(name));
        }

        return [.. bytes];
    }
}
