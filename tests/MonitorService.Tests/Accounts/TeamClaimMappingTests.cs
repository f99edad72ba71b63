using MonitorService.Accounts.Provider;
using MonitorService.Web.SignIn;

namespace MonitorService.Tests.Accounts;

/// <summary>Which teams and rights a provider's claim values give, and which sign-in settings are refused at start.</summary>
public class TeamClaimMappingTests
{
    private static readonly TeamClaimMapping Mapping = new(
        new Dictionary<string, string> { ["ops-group"] = "ops", ["OPS-ALT"] = "ops", ["dev-group"] = " dev " },
        ["monitor-admins"]);

    [Theory]
    [InlineData(new string[0], new string[0], false)]
    [InlineData(new[] { "ops-group" }, new[] { "ops" }, false)]
    [InlineData(new[] { "Ops-Group", "ops-alt" }, new[] { "ops" }, false)]            // configuration keys: any letter case
    [InlineData(new[] { "dev-group", "unmapped", "MONITOR-ADMINS" }, new[] { "dev" }, true)]
    [InlineData(new[] { "ops-group-2", "admins" }, new string[0], false)]                 // whole values only
    public void Values_map_to_teams_and_administrator_rights(string[] values, string[] teams, bool admin)
    {
        Assert.Equal(teams.Order(), Mapping.TeamsFor(values).Order());
        Assert.Equal(admin, Mapping.IsAdministrator(values));
    }

    [Fact]
    public void The_managed_teams_are_the_ones_the_mapping_names()
    {
        Assert.Equal(["dev", "ops"], Mapping.ManagedTeams.Order());
        Assert.True(Mapping.ManagesAdministrators);
        Assert.False(new TeamClaimMapping(new Dictionary<string, string>(), []).ManagesAdministrators);
    }

    [Theory]
    [InlineData("https://id.example.test/realms/ops", true, null)]
    [InlineData("http://127.0.0.1:8081/", false, null)]
    [InlineData("http://id.example.test/", true, "must use https")]
    [InlineData("https://id.example.test/?tenant=1", true, "issuer URL")]
    [InlineData("id.example.test", true, "issuer URL")]
    public void The_authority_is_an_https_issuer_url(string authority, bool requireHttps, string? error)
    {
        var options = new OidcOptions { Authority = authority, ClientId = "monitor", RequireHttpsMetadata = requireHttps };
        var errors = options.Validate().ToList();
        if (error is null)
            Assert.Empty(errors);
        else
            Assert.Contains(errors, e => e.Contains(error, StringComparison.Ordinal));
    }

    [Fact]
    public void Other_bad_settings_are_named()
    {
        var options = new OidcOptions
        {
            Authority = "https://id.example.test/",
            Scopes = "profile email",
            TeamClaim = "",
            Teams = new Dictionary<string, string> { ["ops-group"] = "" },
            DisplayName = "",
            BackchannelTimeout = TimeSpan.FromMinutes(5),
        };
        var errors = string.Join("\n", options.Validate());
        foreach (var setting in new[] { "ClientId", "Scopes", "TeamClaim", "Teams:ops-group", "DisplayName", "BackchannelTimeout" })
            Assert.Contains("Auth:Oidc:" + setting, errors, StringComparison.Ordinal);
        Assert.Contains(new AuthOptions { LocalPasswords = { Enabled = false } }.Validate(), e => e.Contains("nobody could sign in", StringComparison.Ordinal));
        Assert.Empty(new AuthOptions().Validate());
    }
}
