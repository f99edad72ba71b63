using System.Security.Cryptography;
using System.Text;

namespace MonitorService.Storage.Snapshots;

/// <summary>One content-addressed part of a check, ready to store: its kind (<see cref="Entities.SnapshotKinds"/>) and canonical JSON.</summary>
public sealed record SnapshotPart(string Kind, string Content)
{
    public string Hash { get; } = SnapshotHash.Of(Content);
}

/// <summary>SHA-256 of UTF-8 text, lower-case hex: the address of a stored part and of a domain's state.</summary>
public static class SnapshotHash
{
    public static string Of(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}
