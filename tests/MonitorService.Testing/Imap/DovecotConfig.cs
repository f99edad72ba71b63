using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MonitorService.Testing.Imap;

/// <summary>
/// The configuration of a private Dovecot instance: everything (sockets, state, log, mail) inside one folder, IMAP on
/// loopback only, plain-text passwords from a file (test accounts only), no chroot so it runs as an unprivileged user.
/// </summary>
internal static class DovecotConfig
{
    public static string Write(string directory, int port, int? tlsPort, X509Certificate2? certificate, int uid, int gid, bool runAsRoot, string? capabilityOverride)
    {
        var users = Path.Combine(directory, "users");
        var sb = new StringBuilder();
        sb.AppendLine($"base_dir = {directory}/run");
        sb.AppendLine($"state_dir = {directory}/state");
        sb.AppendLine($"log_path = {directory}/dovecot.log");
        sb.AppendLine("protocols = imap");
        sb.AppendLine("listen = 127.0.0.1");
        if (certificate is null)
        {
            sb.AppendLine("ssl = no");
        }
        else
        {
            File.WriteAllText(Path.Combine(directory, "cert.pem"), certificate.ExportCertificatePem());
            var key = certificate.GetECDsaPrivateKey()?.ExportPkcs8PrivateKeyPem()
                ?? certificate.GetRSAPrivateKey()?.ExportPkcs8PrivateKeyPem()
                ?? throw new ArgumentException("The IMAP server's certificate needs its private key.", nameof(certificate));
            File.WriteAllText(Path.Combine(directory, "key.pem"), key);
            // "yes", not "required": the plain port still answers, so tests can see a client refuse to log in without TLS.
            sb.AppendLine("ssl = yes");
            sb.AppendLine($"ssl_cert = <{directory}/cert.pem");
            sb.AppendLine($"ssl_key = <{directory}/key.pem");
        }
        sb.AppendLine("disable_plaintext_auth = no");
        sb.AppendLine("auth_mechanisms = plain login");
        if (runAsRoot)
        {
            // The master runs as that user already; these keep Dovecot from wanting its system accounts.
            sb.AppendLine("default_login_user = nobody");
            sb.AppendLine("default_internal_user = nobody");
            sb.AppendLine("default_internal_group = nogroup");
        }
        sb.AppendLine($"mail_location = maildir:{directory}/mail/%u");
        sb.AppendLine($"first_valid_uid = {uid}");
        if (capabilityOverride is not null)
            sb.AppendLine($"imap_capability = {capabilityOverride}");
        sb.AppendLine("passdb {");
        sb.AppendLine("  driver = passwd-file");
        sb.AppendLine($"  args = scheme=PLAIN {users}");
        sb.AppendLine("}");
        sb.AppendLine("userdb {");
        sb.AppendLine("  driver = static");
        sb.AppendLine($"  args = uid={uid} gid={gid} home={directory}/mail/%u");
        sb.AppendLine("}");
        sb.AppendLine("service imap-login {");
        sb.AppendLine("  inet_listener imap {");
        sb.AppendLine("    address = 127.0.0.1");
        sb.AppendLine($"    port = {port}");
        sb.AppendLine("  }");
        sb.AppendLine("  inet_listener imaps {");
        sb.AppendLine("    address = 127.0.0.1");
        sb.AppendLine($"    port = {tlsPort ?? 0}");
        if (tlsPort is not null)
            sb.AppendLine("    ssl = yes");
        sb.AppendLine("  }");
        sb.AppendLine("  chroot =");
        sb.AppendLine("}");
        sb.AppendLine("service anvil {");
        sb.AppendLine("  chroot =");
        sb.AppendLine("}");
        var path = Path.Combine(directory, "dovecot.conf");
        File.WriteAllText(path, sb.ToString());
        return path;
    }
}
