using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using MonitorService.Tests.Infrastructure;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Tests.Web;

/// <summary>
/// A planned MX change walked on the domain page in Chromium against the real service: the plan is made in the page,
/// each step is done on the loopback servers exactly as the page's text says, and monitored checks (<c>domains check</c>)
/// move it on. The policy's max_age is 45 s, so the sender-cache wait passes on the real clock.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public class PlanBrowserTests(PostgresFixture postgres)
{
    private const string Mx3 = "mx3.example.test";
    private const string ShortPolicy = "version: STSv1\r\nmode: enforce\r\nmax_age: 45\r\nmx: mx1.example.test\r\nmx: mx2.example.test\r\n";

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"no '{start}' in: {text}");
        return text[from..text.IndexOf(end, from + start.Length, StringComparison.Ordinal)];
    }

    private static async Task<string> StepTextAsync(IPage page, int n) => (await page.Locator($"#plan-step-{n} pre").InnerTextAsync()).Replace("\r\n", "\n", StringComparison.Ordinal);

    private static async Task PublishStepAsync(ServiceUnderTest service, IPage page, int n)
    {
        var text = await StepTextAsync(page, n);
        service.Env.Https.SetResponse(PolicyHost, PolicyResponse.Ok(Between(text, "version: STSv1", "\n\n") + "\n"));
        var record = Between(text, $"_mta-sts.{Domain} TXT \"", "\"\n")[$"_mta-sts.{Domain} TXT \"".Length..];
        service.Env.Zone.Remove($"_mta-sts.{Domain}", "TXT");
        service.Env.Zone.AddTxt($"_mta-sts.{Domain}", record);
    }

    private static async Task CheckAndReloadAsync(ServiceUnderTest service, IPage page)
    {
        var (exit, _, stderr) = await service.RunCliAsync(["domains", "check", Domain]);
        Assert.True(exit is 0 or 1, stderr);
        await page.ReloadAsync();
    }

    private static Task ExpectStatusAsync(IPage page, int n, string status) =>
        Assertions.Expect(page.Locator($"#plan-step-{n}")).ToHaveAttributeAsync("data-status", status);

    [Fact]
    public async Task Walk_a_plan_on_the_domain_page_then_start_and_cancel_another()
    {
        var outbox = Path.Combine(Path.GetTempPath(), $"monitor-plan-browser-{Guid.NewGuid():N}");
        await using var service = await ServiceUnderTest.StartAsync(postgres, "browser_plan", new Dictionary<string, string?> { ["Smtp:OutboxDirectory"] = outbox, ["Checks:TimeoutSeconds"] = "5" });
        service.Env.Https.SetResponse(PolicyHost, PolicyResponse.Ok(ShortPolicy));
        service.Env.Zone.AddA(Mx3, MxSpareIp.ToString());
        service.Env.Smtp.SetCertificate(Mx3, service.Env.Ca.IssueLeaf(Mx3));
        await service.AddUserAsync("ops@example.test", "ops");
        using var api = service.Client(await service.CreateTokenAsync("ops"));
        var added = await api.PostAsJsonAsync("/api/v1/domains", new { name = Domain, recipients = new[] { "ops@example.test" } });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var id = (await added.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        for (var i = 0; i < 150 && (await api.GetAsync(new Uri($"/api/v1/domains/{id}/report", UriKind.Relative))).StatusCode != HttpStatusCode.OK; i++)
            await Task.Delay(200);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = service.BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error" && !message.Location.Contains("favicon", StringComparison.Ordinal)) consoleErrors.Add($"{message.Text} at {message.Location}"); };
        await page.GotoAsync("/login");
        await page.FillAsync("input[name=Email]", "ops@example.test");
        await page.FillAsync("input[name=Password]", ServiceUnderTest.Password);
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Domains");
        await page.GotoAsync($"/domains/{id}");

        // Try a draft first: one that forgets the new host, judged against what the last check saw.
        await page.FillAsync("textarea[name=draftPolicy]", "version: STSv1\nmode: enforce\nmx: mx1.example.test\nmx: mx2.example.test\nmax_age: 45\n");
        await page.FillAsync("input[name=draftMx]", Mx3);
        await page.ClickAsync("#try-draft-button");
        var result = page.Locator("#draft-result");
        await Assertions.Expect(result).ToContainTextAsync("MTASTS_MX_MISMATCH");
        await Assertions.Expect(result).ToContainTextAsync("DRAFT_CACHED_POLICY_REFUSES");
        await Assertions.Expect(result.Locator("tbody tr")).ToContainTextAsync("NOT COVERED");
        await Assertions.Expect(page.Locator("textarea[name=draftPolicy]")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("mx: mx2.example.test"));
        await page.FillAsync("textarea[name=draftPolicy]", "version: STSv1\nmode: enforce\nmx: mx1.example.test\nmx: mx2.example.test\nmx: mx3.example.test\nmax_age: 45\n");
        await page.FillAsync("input[name=draftMx]", "");
        await page.ClickAsync("#try-draft-button");
        await Assertions.Expect(page.Locator("#draft-txt")).ToContainTextAsync("_mta-sts.example.test TXT \"v=STSv1; id=");
        await Assertions.Expect(result).ToContainTextAsync("DRAFT_NEW_ID_NEEDED");
        await BrowserTests.ShotAsync(page, "09-try-a-draft");

        // A typo: refused with the reason, nothing planned.
        await page.FillAsync("input[name=newMx]", "mx3 example test");
        await page.ClickAsync("#create-plan");
        await Assertions.Expect(page.Locator("p.alert")).ToContainTextAsync("newMx: \"mx3 example test\"");
        await Assertions.Expect(page.Locator("#plan-step-1")).ToHaveCountAsync(0);

        await page.FillAsync("input[name=newMx]", Mx3);
        await page.ClickAsync("#create-plan");
        await ExpectStatusAsync(page, 1, "ready");
        await Assertions.Expect(page.Locator("#change-plan")).ToContainTextAsync("publish-policy");
        Assert.Contains("mx: mx1.example.test\nmx: mx2.example.test\nmx: mx3.example.test\nmax_age: 45\n", await StepTextAsync(page, 1), StringComparison.Ordinal);
        await BrowserTests.ShotAsync(page, "10-plan-made");

        // Step 1 as the page says it; the next check observes it and the wait gets its time from the sender-cache clock
        // (a check just before: the old policy is last seen now, so its 45 s are still running when step 1 is seen).
        await CheckAndReloadAsync(service, page);
        await PublishStepAsync(service, page, 1);
        await CheckAndReloadAsync(service, page);
        await ExpectStatusAsync(page, 1, "done");
        await ExpectStatusAsync(page, 2, "pending");
        await Assertions.Expect(page.Locator("#plan-step-2 pre")).ToContainTextAsync("Wait until");
        await ExpectStatusAsync(page, 3, "pending");

        // After the old policy's 45 s: the wait is over and the MX switch is safe (checked until then).
        for (var i = 0; i < 30 && await page.Locator("#plan-step-2").GetAttributeAsync("data-status") != "done"; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            await CheckAndReloadAsync(service, page);
        }
        await ExpectStatusAsync(page, 2, "done");
        await ExpectStatusAsync(page, 3, "ready");
        await BrowserTests.ShotAsync(page, "11-plan-switch-ready");

        service.Env.Zone.Remove(Domain, "MX");
        service.Env.Zone.AddMx(Domain, 10, Mx3);
        Assert.Contains($"{Domain}. IN MX 10 {Mx3}.", await StepTextAsync(page, 3), StringComparison.Ordinal);
        await CheckAndReloadAsync(service, page);
        await ExpectStatusAsync(page, 3, "done");
        await ExpectStatusAsync(page, 4, "ready");

        await PublishStepAsync(service, page, 4);
        await CheckAndReloadAsync(service, page);
        // Done: the plan is history and the form is back.
        await Assertions.Expect(page.Locator(".plan-history")).ToContainTextAsync("done");
        await Assertions.Expect(page.Locator("#create-plan")).ToBeVisibleAsync();
        await BrowserTests.ShotAsync(page, "12-plan-done");

        // Another plan, cancelled from the page.
        await page.FillAsync("input[name=newMx]", "mx1.example.test");
        await page.SelectOptionAsync("select[name=mode]", "testing");
        await page.ClickAsync("#create-plan");
        await ExpectStatusAsync(page, 1, "ready");
        await page.ClickAsync("#cancel-plan");
        await Assertions.Expect(page.Locator("p.alert")).ToContainTextAsync("Plan cancelled");
        await Assertions.Expect(page.Locator(".plan-history li")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator(".plan-history")).ToContainTextAsync("cancelled");
        Assert.Empty(consoleErrors);
        if (Directory.Exists(outbox))
            Directory.Delete(outbox, recursive: true);
    }
}
