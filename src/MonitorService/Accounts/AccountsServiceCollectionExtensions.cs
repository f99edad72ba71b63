using Microsoft.AspNetCore.Identity;
using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Accounts;

public static class AccountsServiceCollectionExtensions
{
    /// <summary>
    /// Users (ASP.NET Core Identity on the monitor's store), team access and API tokens. The web host adds the
    /// sign-in cookie on top (AddMonitorDashboard, in Web); the CLI needs only this.
    /// </summary>
    public static IdentityBuilder AddMonitorAccounts(this IServiceCollection services)
    {
        // The dashboard and the API both need accounts; whichever registers first does it.
        if (services.Any(s => s.ServiceType == typeof(TeamAccess)))
            return new IdentityBuilder(typeof(MonitorUser), typeof(IdentityRole<Guid>), services);
        services.AddScoped<TeamAccess>();
        services.AddSingleton<ApiTokens>();
        services.AddSingleton<UserDirectory>();
        services.AddSingleton<TeamAlertSettings>();
        services.AddScoped<Provider.ProviderAccounts>();
        return services.AddIdentityCore<MonitorUser>(ConfigureIdentity)
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<MonitorDbContext>();
    }

    private static void ConfigureIdentity(IdentityOptions o)
    {
        o.User.RequireUniqueEmail = true;
        // Length over composition rules (NIST SP 800-63B): long passphrases, no forced symbol soup.
        o.Password.RequiredLength = 12;
        o.Password.RequireDigit = false;
        o.Password.RequireLowercase = false;
        o.Password.RequireUppercase = false;
        o.Password.RequireNonAlphanumeric = false;
        // No lockout by failures (sign-in never counts them): anyone could use it to keep someone out. Repeated
        // attempts are rate limited instead (Web/SignIn/SignInThrottle). A lockout set on purpose (lockout_end) holds.
        o.Lockout.AllowedForNewUsers = true;
    }
}
