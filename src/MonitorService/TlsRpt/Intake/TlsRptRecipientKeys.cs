using MimeKit;
using MonitorService.Storage.Entities;

namespace MonitorService.TlsRpt.Intake;

/// <summary>
/// The team keys a report mail was addressed to: <c>local+KEY@domain</c> (sub-addressing, as senders send to the rua
/// address a domain published) in To, Cc and the headers mail servers add for the envelope recipient. Everything
/// else in the address is ignored: the mailbox it reached is ours whatever the domain part says.
/// </summary>
public static class TlsRptRecipientKeys
{
    /// <summary>Addresses looked at per message at most (a message may list any number).</summary>
    public const int MaxAddresses = 50;

    private static readonly string[] EnvelopeHeaders = ["Delivered-To", "X-Original-To", "Envelope-To"];

    public static IReadOnlySet<string> Find(MimeMessage message)
    {
        var addresses = message.To.Mailboxes.Concat(message.Cc.Mailboxes).Select(m => m.Address)
            .Concat(EnvelopeHeaders.SelectMany(h => message.Headers.Where(x => x.Field.Equals(h, StringComparison.OrdinalIgnoreCase)).Select(x => x.Value.Trim().Trim('<', '>'))))
            .Take(MaxAddresses);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var address in addresses)
        {
            if (KeyOf(address) is { } key)
                keys.Add(key);
        }
        return keys;
    }

    /// <summary>The key of <c>local+KEY@domain</c>, or null.</summary>
    public static string? KeyOf(string address)
    {
        var at = address.LastIndexOf('@');
        var local = at < 0 ? address : address[..at];
        var plus = local.LastIndexOf('+');
        if (plus < 0)
            return null;
        var key = local[(plus + 1)..].ToLowerInvariant();
        return TlsRptKeys.IsWellFormed(key) ? key : null;
    }
}
