using Microsoft.Playwright;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Web;

namespace MonitorService.Tests.TlsRpt;

/// <summary>
/// The "What senders saw" chart in a real browser (Debian's Chromium via Playwright): the server-drawn SVG renders with a
/// bar per report day and the seeded failures, the CSP stays intact (no violation on the console), and the hostile
/// organisation name shows as text.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public class TlsRptChartBrowserTests(PostgresFixture postgres)
{
    [Fact]
    public async Task The_chart_renders_under_the_csp()
    {
        var (started, id, today) = await TlsRptViewTests.StartSeededAsync(postgres, "tlsrpt_browser");
        await using var service = started;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = service.BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error" && !message.Location.Contains("favicon", StringComparison.Ordinal)) consoleErrors.Add($"{message.Text} at {message.Location}"); };
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };

        await page.GotoAsync("/login");
        await page.FillAsync("input[name=Email]", "ops@example.test");
        await page.FillAsync("input[name=Password]", ServiceUnderTest.Password);
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Domains");
        var response = await page.GotoAsync($"/domains/{id}");
        Assert.Contains("script-src 'self'", response!.Headers["content-security-policy"], StringComparison.Ordinal);

        var chart = page.Locator("#sessions-chart");
        await Assertions.Expect(chart).ToBeVisibleAsync();
        await Assertions.Expect(chart.Locator("g.day")).ToHaveCountAsync(30);
        await Assertions.Expect(chart.Locator("rect.bar-failed")).ToHaveCountAsync(2);
        await Assertions.Expect(chart.Locator("rect.bar-ok")).ToHaveCountAsync(2);
        // The bars are drawn (a size on screen) and coloured by site.css, not by inline style.
        var failed = chart.Locator($"g.day[data-date='{today.AddDays(-1):yyyy-MM-dd}'] rect.bar-failed");
        var box = await failed.BoundingBoxAsync();
        Assert.True(box is { Width: > 0, Height: > 0 }, "the failed bar has no size on screen");
        Assert.Equal("rgb(180, 35, 24)", await failed.EvaluateAsync<string>("e => getComputedStyle(e).fill"));
        await Assertions.Expect(page.Locator("#senders-organizations")).ToContainTextAsync(TlsRptViewTests.Hostile);
        await BrowserTests.ShotAsync(page, "tlsrpt-senders");

        await page.ClickAsync("text=90 days");
        await Assertions.Expect(page.Locator("#sessions-chart g.day")).ToHaveCountAsync(90);
        Assert.Equal(0, dialogs);
        Assert.Empty(consoleErrors);
    }
}
