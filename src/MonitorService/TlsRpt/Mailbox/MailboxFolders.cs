using MailKit;
using MailKit.Net.Imap;

namespace MonitorService.TlsRpt.Mailbox;

/// <summary>The folders a pass moves messages to, created at the top of the personal namespace when missing.</summary>
public sealed record MailboxFolders(IMailFolder Done, IMailFolder Invalid)
{
    public static async Task<MailboxFolders> OpenAsync(ImapClient client, MailboxOptions options, CancellationToken ct)
        => new(await GetOrCreateAsync(client, options.DoneFolder, ct), await GetOrCreateAsync(client, options.InvalidFolder, ct));

    public static async Task<IMailFolder> GetOrCreateAsync(ImapClient client, string name, CancellationToken ct)
    {
        try
        {
            return await client.GetFolderAsync(name, ct);
        }
        catch (FolderNotFoundException)
        {
            var root = client.GetFolder(client.PersonalNamespaces[0]);
            return await root.CreateAsync(name, isMessageFolder: true, ct)
                ?? throw new InvalidOperationException($"The IMAP server did not create the folder {name}.");
        }
    }
}
