namespace MonitorService.Testing.Dns;

/// <summary>The parts of an incoming query the server needs to answer it.</summary>
/// <param name="Id">Message ID, echoed in the response.</param>
/// <param name="Opcode">Header opcode (0 = QUERY).</param>
/// <param name="RecursionDesired">RD bit, echoed in the response.</param>
/// <param name="QuestionName">Question name as sent (case preserved, no trailing dot; root is "").</param>
/// <param name="QuestionType">QTYPE.</param>
/// <param name="QuestionClass">QCLASS.</param>
/// <param name="MaxUdpSize">Largest UDP response the client accepts (512, or the EDNS OPT payload size).</param>
internal sealed record DnsQuery(
    ushort Id,
    int Opcode,
    bool RecursionDesired,
    string QuestionName,
    ushort QuestionType,
    ushort QuestionClass,
    int MaxUdpSize)
{
    /// <summary>The DO bit of the query's EDNS OPT record (RFC 3225): the client wants RRSIG, NSEC and the like.</summary>
    public bool DnssecOk { get; init; }

    /// <summary>The CD bit (RFC 4035 §3.2.2): the client wants the data even if a validating resolver judged it bogus.</summary>
    public bool CheckingDisabled { get; init; }
}
