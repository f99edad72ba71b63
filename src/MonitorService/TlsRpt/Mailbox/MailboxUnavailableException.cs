namespace MonitorService.TlsRpt.Mailbox;

/// <summary>Why a pass could not read the mailbox at all.</summary>
public enum MailboxFailureKind
{
    /// <summary>Connection refused, timed out, TLS failed, or the connection dropped: the server's side, retried next pass.</summary>
    Unreachable,
    /// <summary>The server refused our user name and password: our configuration, retried once it may have been fixed.</summary>
    LoginRefused,
    /// <summary>The folder TlsRpt:Imap:Folder names does not exist: our configuration (it is not created, a typo would hide).</summary>
    FolderMissing,
}

/// <summary>The mailbox could not be read this pass; the message says why in words an operator can act on (never with the password).</summary>
public sealed class MailboxUnavailableException(MailboxFailureKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public MailboxFailureKind Kind { get; } = kind;
}
