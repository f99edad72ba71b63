using System.Net;
using System.Text.RegularExpressions;
using MonitorService.Tests.Infrastructure;

namespace MonitorService.Tests.Web;

/// <summary>Adding team members on the team page: an administrator's task, and no way for others to learn which accounts exist.</summary>
[Collection(PostgresCollection.Name)]
public partial class TeamMemberTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Adding_members_does_not_tell_a_team_member_which_accounts_exist()
    {
        await using var service = await ServiceUnderTest.StartAsync(postgres, "team_members");
        await service.AddUserAsync("ops@example.test", "ops");
        await service.AddUserAsync("colleague@example.test", "elsewhere");
        await service.AddUserAsync("admin@example.test", "admins", admin: true);

        using var member = service.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await member.SignInAsync("ops@example.test", ServiceUnderTest.Password)).StatusCode);
        var teamPage = "/teams/" + TeamLink().Match(await member.Http.GetStringAsync(new Uri("/teams", UriKind.Relative))).Groups[1].Value;

        async Task<(HttpStatusCode, string)> AddAsync(DashboardBrowser browser, string email)
        {
            var response = await browser.PostFormAsync(teamPage, teamPage + "?handler=AddMember", new Dictionary<string, string> { ["email"] = email });
            return (response.StatusCode, DashboardBrowser.WithoutTokens(await response.Content.ReadAsStringAsync()).Replace(email, "EMAIL", StringComparison.Ordinal));
        }

        // A member who is not an administrator gets the same page for an existing and a made-up account, and
        // nobody is added (before: "colleague@example.test added." against "There is no user ...").
        var existing = await AddAsync(member, "colleague@example.test");
        var madeUp = await AddAsync(member, "nobody@example.test");
        Assert.Equal(existing, madeUp);
        Assert.Contains("administrator", existing.Item2, StringComparison.Ordinal);
        Assert.DoesNotContain("colleague@example.test", await member.Http.GetStringAsync(new Uri(teamPage, UriKind.Relative)), StringComparison.Ordinal);

        // An administrator (who creates the accounts) adds members, with a precise answer.
        using var admin = service.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SignInAsync("admin@example.test", ServiceUnderTest.Password)).StatusCode);
        var added = await admin.PostFormAsync(teamPage, teamPage + "?handler=AddMember", new Dictionary<string, string> { ["email"] = "colleague@example.test" });
        Assert.Contains("colleague@example.test added", await added.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("colleague@example.test", await member.Http.GetStringAsync(new Uri(teamPage, UriKind.Relative)), StringComparison.Ordinal);
    }

    [GeneratedRegex("/teams/([0-9a-f-]{36})")]
    private static partial Regex TeamLink();
}
