namespace MonitorService.Testing.Dns;

/// <summary>One resource record ready for the wire: owner name, type and encoded RDATA.</summary>
internal sealed record DnsRecord(string Owner, ushort Type, uint Ttl, byte[] RData);
