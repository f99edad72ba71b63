using System.Text;

namespace MonitorService.Checks.Dnssec;

/// <summary>
/// A domain name as its labels, lower-cased (DNSSEC compares names case-insensitively and signs them in lower case,
/// RFC 4034 §6.2). Labels are kept as Latin-1 strings so that any byte, a dot included, survives: an attacker's
/// label "a.b" must never compare equal to the two labels "a" and "b".
/// </summary>
internal sealed class DomainLabels : IEquatable<DomainLabels>
{
    public static readonly DomainLabels Root = new([]);

    private readonly string[] _labels;

    private DomainLabels(string[] labels) => _labels = labels;

    /// <summary>Labels from the leftmost (most specific) to the rightmost (the TLD).</summary>
    public IReadOnlyList<string> Labels => _labels;

    public int Count => _labels.Length;

    public bool IsRoot => _labels.Length == 0;

    /// <summary>A name as the engine writes it ("_mta-sts.example.com", trailing dot optional; "" or "." is the root).</summary>
    public static DomainLabels Parse(string name)
    {
        var trimmed = name.EndsWith('.') ? name[..^1] : name;
        if (trimmed.Length == 0)
            return Root;
        var labels = trimmed.Split('.');
        if (labels.Any(l => l.Length is 0 or > 63))
            throw new FormatException($"'{name}' is not a domain name.");
        return FromLabels(labels);
    }

    public static DomainLabels FromLabels(IEnumerable<string> labels) => new(labels.Select(Lower).ToArray());

    public DomainLabels Parent => IsRoot ? this : new DomainLabels(_labels[1..]);

    /// <summary>This name with its leftmost <paramref name="count"/> labels removed.</summary>
    public DomainLabels Ancestor(int labelsToKeep) => new(_labels[(_labels.Length - labelsToKeep)..]);

    public DomainLabels Child(string label) => new([Lower(label), .. _labels]);

    /// <summary>True when this name equals <paramref name="other"/> or lies below it.</summary>
    public bool IsAtOrBelow(DomainLabels other)
    {
        if (other.Count > Count)
            return false;
        for (var i = 1; i <= other.Count; i++)
        {
            if (!string.Equals(_labels[^i], other._labels[^i], StringComparison.Ordinal))
                return false;
        }
        return true;
    }

    public bool IsBelow(DomainLabels other) => Count > other.Count && IsAtOrBelow(other);

    /// <summary>Wire form, uncompressed and lower-case: the canonical form of RFC 4034 §6.2.</summary>
    public byte[] ToWire()
    {
        var bytes = new List<byte>(_labels.Sum(l => l.Length + 1) + 1);
        foreach (var label in _labels)
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.Latin1.GetBytes(label));
        }
        bytes.Add(0);
        return [.. bytes];
    }

    /// <summary>Canonical DNS name order (RFC 4034 §6.1): label by label from the right, each as lower-case bytes.</summary>
    public static int CanonicalCompare(DomainLabels a, DomainLabels b)
    {
        var shared = Math.Min(a.Count, b.Count);
        for (var i = 1; i <= shared; i++)
        {
            var c = string.CompareOrdinal(a._labels[^i], b._labels[^i]);
            if (c != 0)
                return c;
        }
        return a.Count.CompareTo(b.Count);
    }

    public bool Equals(DomainLabels? other) => other is not null && _labels.AsSpan().SequenceEqual(other._labels);

    public override bool Equals(object? obj) => Equals(obj as DomainLabels);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var label in _labels)
            hash.Add(label, StringComparer.Ordinal);
        return hash.ToHashCode();
    }

    /// <summary>Presentation form with a trailing dot, bytes outside printable ASCII and dots inside labels escaped.</summary>
    public override string ToString()
    {
        if (IsRoot)
            return ".";
        var sb = new StringBuilder();
        foreach (var label in _labels)
        {
            foreach (var c in label)
            {
                if (c is '.' or '\\')
                    sb.Append('\\').Append(c);
                else if (c is <= ' ' or > '~')
                    sb.Append('\\').Append(((int)c).ToString("000", System.Globalization.CultureInfo.InvariantCulture));
                else
                    sb.Append(c);
            }
            sb.Append('.');
        }
        return sb.ToString();
    }

    private static string Lower(string label)
    {
        if (label.Length > 63)
            throw new FormatException("A DNS label is longer than 63 bytes.");
        return string.Create(label.Length, label, (span, l) =>
        {
            for (var i = 0; i < l.Length; i++)
                span[i] = l[i] is >= 'A' and <= 'Z' ? (char)(l[i] + 32) : l[i];
        });
    }
}
