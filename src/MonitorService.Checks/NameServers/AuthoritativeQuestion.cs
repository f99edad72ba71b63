namespace MonitorService.Checks.NameServers;

/// <summary>The record types the engine asks authoritative servers for.</summary>
public enum AuthoritativeRecordType { Soa, Txt, Mx, A, Aaaa, Tlsa }

/// <summary>One question asked of every address of every server of a zone.</summary>
public sealed record AuthoritativeQuestion(string Name, AuthoritativeRecordType Type)
{
    /// <summary>"_mta-sts.example.com TXT", as reports and findings show it.</summary>
    public override string ToString() => $"{Name} {Type.ToString().ToUpperInvariant()}";
}
