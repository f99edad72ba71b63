using Microsoft.AspNetCore.DataProtection;
using MonitorService.Settings;

namespace MonitorService.Web;

public static class KeyRingProtectionServiceCollectionExtensions
{
    /// <summary>
    /// Encrypts the stored data-protection keys with <c>DataProtection:CertificatePath</c> when it is set; otherwise
    /// they are stored as they are, protected only by the database's access control.
    /// </summary>
    /// <remarks>
    /// ASP.NET Core takes the certificate itself at registration, so it is loaded here; a certificate that does not
    /// load registers nothing and fails the start through the options validation (with the reason) instead of
    /// throwing from the composition.
    /// </remarks>
    public static IServiceCollection AddMonitorKeyRingProtection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<KeyRingProtectionOptions>(configuration.GetSection(KeyRingProtectionOptions.SectionName), CertificateProblems);

        var options = configuration.GetSection(KeyRingProtectionOptions.SectionName).Get<KeyRingProtectionOptions>() ?? new KeyRingProtectionOptions();
        // Kept for the life of the process: the key ring encrypts and decrypts with it whenever keys are created or read.
        var certificate = options.LoadCertificate(out _);
        if (certificate is not null)
        {
            services.AddDataProtection().ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }
        return services;
    }

    private static IEnumerable<string> CertificateProblems(KeyRingProtectionOptions options)
    {
        using var certificate = options.LoadCertificate(out var error);
        return error is null ? [] : [error];
    }
}
