using MonitorService.Alerts;
using MonitorService.Checks.Model;
using MonitorService.Monitoring;
using MonitorService.Monitoring.Drift;
using MonitorService.Storage.Entities;

namespace MonitorService.Tests.Alerts;

/// <summary>
/// <see cref="AlertComposer.Compose"/> on plain values: what one check tells the team under its severity settings —
/// nothing, an alert (worst first, with the check's other changes as context) or a resolution.
/// </summary>
public sealed class AlertComposerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static readonly DriftEvent MxChanged = new(DriftCodes.MxChanged, Severity.Info, null, "MX changed", null);
    private static readonly DriftEvent StaleId = new(DriftCodes.StaleId, Severity.Error, null, "policy changed, id did not", Now.AddDays(7), "publish a new id");

    public static TheoryData<string, string[], string[], string?, string[]> Cases => new()
    {
        // name, drift severities the team wants, what the check produced (drift:CODE / opened:CODE:severity / closed:CODE:severity),
        // expected headline start (null: no mail), expected alerting codes in order
        { "nothing happened", ["error"], [], null, [] },
        { "info drift alone sends nothing", ["error", "warning"], ["drift:MX"], null, [] },
        { "error drift alerts", ["error"], ["drift:STALE"], "", [DriftCodes.StaleId] },
        { "team filtered the severity out", ["warning"], ["drift:STALE"], null, [] },
        { "opened incident alerts", ["error"], ["opened:MX_MISSING:error"], "", [FindingCodes.MxMissing] },
        { "incident severity not wanted", ["error"], ["opened:SMTP_CERT_EXPIRING:info"], null, [] },
        { "worst first, drift before incident of the same severity", ["error"], ["opened:MX_MISSING:error", "drift:STALE", "opened:SMTP_CERT_EXPIRING:warning"],
            "", [DriftCodes.StaleId, FindingCodes.MxMissing, FindingCodes.SmtpCertExpiring] },
        { "closed incident resolves", ["error"], ["closed:MX_MISSING:error"], "resolved: ", [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compose_decides_what_the_team_is_told(string name, string[] driftSeverities, string[] produced, string? headlineStart, string[] alerting)
    {
        var settings = Settings(driftSeverities, incidentSeverities: ["error", "warning"]);

        var result = Result(produced);
        var content = AlertComposer.Compose(result, settings, "https://monitor.example.test/");

        if (headlineStart is null)
        {
            Assert.True(content is null, name);
            return;
        }
        Assert.NotNull(content);
        Assert.StartsWith(headlineStart, content.Headline, StringComparison.Ordinal);
        Assert.Equal(alerting, content.New.Select(i => i.Code));
        // The page's route is /domains/{id}: a link by name was a 404.
        Assert.Equal(new Uri($"https://monitor.example.test/domains/{result.DomainId}"), content.DashboardLink);
        Assert.Equal(alerting.Length == 0, content.IsResolution);
    }

    [Fact]
    public void Changes_below_the_alerting_severity_explain_an_alert_but_do_not_send_one()
    {
        var content = AlertComposer.Compose(Result(["drift:MX", "drift:STALE"]), Settings(["error"], ["error"]), null);

        Assert.NotNull(content);
        Assert.Equal([DriftCodes.StaleId], content.New.Select(i => i.Code));
        Assert.Equal([DriftCodes.MxChanged], content.Context.Select(i => i.Code));
        Assert.Equal(Now.AddDays(7), content.New[0].Until);
        Assert.Null(content.DashboardLink);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void No_dashboard_address_means_no_link(string? baseUrl) =>
        Assert.Null(AlertComposer.DashboardLink(baseUrl, Guid.NewGuid()));

    private static TeamMailSettings Settings(string[] driftSeverities, string[] incidentSeverities) =>
        new(incidentSeverities.ToHashSet(), driftSeverities.ToHashSet(), DayOfWeek.Monday, new TimeOnly(8, 0), TimeZoneInfo.Utc, true);

    private static MonitoredCheckResult Result(string[] produced)
    {
        var events = new List<DriftEvent>();
        List<Incident> opened = [], closed = [];
        foreach (var item in produced)
        {
            var parts = item.Split(':');
            switch (parts[0])
            {
                case "drift":
                    events.Add(parts[1] == "MX" ? MxChanged : StaleId);
                    break;
                case "opened":
                    opened.Add(Incident(parts[1], parts[2], closed: false));
                    break;
                default:
                    closed.Add(Incident(parts[1], parts[2], closed: true));
                    break;
            }
        }
        var report = new CheckReport { Domain = "example.test", CheckedAt = Now, Txt = new TxtSection([], null), Mx = [], Findings = [] };
        return new MonitoredCheckResult(Guid.NewGuid(), "example.test", report, events, new IncidentChanges([], opened, closed, [], false), true, null);
    }

    private static Incident Incident(string code, string severity, bool closed) => new()
    {
        Code = code, Subject = "", Severity = severity, Message = $"{code} message", FirstSeenAt = Now.AddHours(-2),
        OpenedAt = Now.AddHours(-1), ClosedAt = closed ? Now : null,
    };
}
