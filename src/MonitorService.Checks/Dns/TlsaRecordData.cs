namespace MonitorService.Checks.Dns;

/// <summary>One TLSA record (RFC 6698 §2.1): usage, selector, matching type and the association data as bytes.</summary>
public sealed record TlsaRecordData(byte Usage, byte Selector, byte MatchingType, byte[] Data)
{
    /// <summary>The association data in lower-case hex, as in presentation format and in reports.</summary>
    public string DataHex => Convert.ToHexStringLower(Data);

    public bool Equals(TlsaRecordData? other) =>
        other is not null && Usage == other.Usage && Selector == other.Selector && MatchingType == other.MatchingType && Data.AsSpan().SequenceEqual(other.Data);

    public override int GetHashCode() => HashCode.Combine(Usage, Selector, MatchingType, DataHex);
}
