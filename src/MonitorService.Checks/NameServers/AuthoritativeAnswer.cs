namespace MonitorService.Checks.NameServers;

/// <summary>How an authoritative server reacted to one direct question.</summary>
public enum AuthoritativeStatus
{
    /// <summary>An authoritative answer (AA bit set): records, no records, or no such name.</summary>
    Answered,
    /// <summary>Nothing came back within the query's time limit (or the server could not be reached).</summary>
    NoAnswer,
    /// <summary>RCODE REFUSED: the server does not serve the zone (a lame delegation).</summary>
    Refused,
    /// <summary>An answer without the AA bit: the server does not hold the zone (a lame delegation).</summary>
    NotAuthoritative,
    /// <summary>Another error, such as SERVFAIL (a secondary whose copy of the zone expired).</summary>
    Failed,
}

/// <summary>
/// One authoritative answer, its records in a comparable form: sorted, names in lower case without the trailing dot
/// (TXT strings joined, MX "preference host", TLSA "usage selector matching-type hex", SOA the serial, aliases
/// "CNAME target").
/// </summary>
public sealed record AuthoritativeAnswer(AuthoritativeStatus Status, IReadOnlyList<string> Records, bool NoSuchName = false, string? Error = null)
{
    public static AuthoritativeAnswer Problem(AuthoritativeStatus status, string error) => new(status, [], Error: error);

    /// <summary>What two answers are compared by: NXDOMAIN and NODATA alike mean "no record" to a sender.</summary>
    public string ComparisonKey => Records.Count == 0 ? "" : string.Join('\n', Records);
}
