using System.Collections.Concurrent;
using MailKit;
using MailKit.Search;

namespace MonitorService.TlsRpt.Mailbox;

/// <summary>
/// Remembers messages a pass left in the folder on purpose (no report in them, or over the size limit) so later passes
/// neither fetch nor log them again. Where the folder takes keywords of our own (PERMANENTFLAGS has <c>\*</c>) the mark
/// is a keyword on the message, seen by every node and surviving restarts; it changes nothing else of the message.
/// Elsewhere it is this node's memory of UIDVALIDITY and UID (another node, or a restart, logs such a message once more).
/// </summary>
public sealed class MailboxSkipMarks
{
    /// <summary>The keyword; a person who wants a message looked at again removes it.</summary>
    public const string Keyword = "TlsRptSkipped";

    private const int MaxRemembered = 100_000;

    private readonly ConcurrentDictionary<(uint Validity, uint Uid), byte> _remembered = new();

    /// <summary>What a search for candidates leaves out: deleted messages, and those marked with the keyword.</summary>
    public static SearchQuery Candidates => SearchQuery.NotDeleted.And(SearchQuery.NotKeyword(Keyword));

    public static bool TakesKeywords(IMailFolder folder) => folder.PermanentFlags.HasFlag(MessageFlags.UserDefined);

    /// <summary>Already skipped by this node (only consulted where the folder takes no keywords).</summary>
    public bool IsRemembered(IMailFolder folder, UniqueId uid) => _remembered.ContainsKey((folder.UidValidity, uid.Id));

    public async Task MarkAsync(IMailFolder folder, UniqueId uid, CancellationToken cancellationToken)
    {
        if (TakesKeywords(folder))
        {
            await folder.StoreAsync(uid, new StoreFlagsRequest(StoreAction.Add, new HashSet<string> { Keyword }) { Silent = true }, cancellationToken);
            return;
        }
        // Bounded: a folder full of strangers' mail must not grow this without end; forgetting only means logging again.
        if (_remembered.Count >= MaxRemembered)
            _remembered.Clear();
        _remembered.TryAdd((folder.UidValidity, uid.Id), 0);
    }
}
