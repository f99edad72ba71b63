using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using MonitorService.Checks.Model;
using MonitorService.Observability;
using MonitorService.Scheduling;
using OpenTelemetry.Metrics;

namespace MonitorService.Tests.Observability;

/// <summary>
/// deploy/prometheus/alerts.yml names only metrics the service exports. The exported names are read from a real
/// <c>/metrics</c> scrape: the service's instruments, each recorded once, behind the same OpenTelemetry Prometheus
/// exporter the service uses, so the exporter's own naming (dots to underscores, <c>_seconds</c>, <c>_total</c>,
/// <c>_bucket</c>) is what is compared, not a copy of it. (promtool check rules, run by deploy/check.sh, checks the syntax.)
/// </summary>
public partial class AlertRulesTests
{
    /// <summary>Series Prometheus itself adds to every target.</summary>
    private static readonly HashSet<string> PrometheusOwn = ["up"];

    [Fact]
    public async Task Every_metric_the_alert_rules_name_is_exported()
    {
        var exported = await ExportedMetricNamesAsync();
        var rules = File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", "prometheus", "alerts.yml"));

        var named = MetricNamesIn(RuleExpressions(rules));

        Assert.Contains("monitor_checks_total", named);
        Assert.Contains("monitor_outbox_backlog", named);
        Assert.Contains("monitor_scheduler_lag_seconds_bucket", named);
        Assert.Contains("up", named);
        var unknown = named.Where(n => !exported.Contains(n) && !PrometheusOwn.Contains(n)).Order().ToList();
        Assert.True(unknown.Count == 0,
            $"alerts.yml names metrics the service does not export: {string.Join(", ", unknown)}. Exported: {string.Join(", ", exported.Order())}");
    }

    [Fact]
    public async Task A_rule_naming_an_unknown_metric_is_caught()
    {
        var exported = await ExportedMetricNamesAsync();
        const string rules = """
            groups:
              - name: test
                rules:
                  - alert: Misspelt
                    expr: sum by (status) (rate(monitor_check_total{status="error"}[5m])) > 0
                  - alert: Fine
                    expr: |
                      max(monitor_outbox_backlog)
                        > on() group_left count(up{job="monitorservice"} == 1)
            """;

        var named = MetricNamesIn(RuleExpressions(rules));

        Assert.Equal(["monitor_check_total", "monitor_outbox_backlog", "up"], named.Order());
        Assert.DoesNotContain("monitor_check_total", exported);
    }

    /// <summary>The <c>expr:</c> values of a rules file: inline, or a block scalar (<c>|</c>, <c>&gt;</c>) on the lines below.</summary>
    private static List<string> RuleExpressions(string rulesYaml)
    {
        var expressions = new List<string>();
        var lines = rulesYaml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var match = ExprLine().Match(lines[i]);
            if (!match.Success)
                continue;
            var value = match.Groups["value"].Value.Trim();
            if (value is not ("|" or ">" or "|-" or ">-"))
            {
                expressions.Add(value.Trim('"', '\''));
                continue;
            }
            var indent = match.Groups["indent"].Value.Length;
            var block = new List<string>();
            while (i + 1 < lines.Length && (lines[i + 1].Trim().Length == 0 || lines[i + 1].Length - lines[i + 1].TrimStart().Length > indent))
                block.Add(lines[++i].Trim());
            expressions.Add(string.Join(' ', block));
        }
        Assert.NotEmpty(expressions);
        return expressions;
    }

    /// <summary>Metric names in PromQL: identifiers left after dropping strings, label matchers, ranges, grouping clauses, function calls and keywords.</summary>
    private static HashSet<string> MetricNamesIn(IEnumerable<string> expressions)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var expression in expressions)
        {
            var rest = QuotedString().Replace(expression, " ");
            rest = LabelMatchersOrRange().Replace(rest, " ");
            rest = GroupingClause().Replace(rest, " ");
            foreach (Match identifier in Identifier().Matches(rest))
            {
                var after = rest[(identifier.Index + identifier.Length)..].TrimStart();
                if (after.StartsWith('(') || PromQlKeywords.Contains(identifier.Value))
                    continue;
                names.Add(identifier.Value);
            }
        }
        return names;
    }

    private static readonly HashSet<string> PromQlKeywords =
        ["by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset", "inf", "nan"];

    /// <summary>Series names of one scrape of the service's instruments, each recorded once.</summary>
    private static async Task<HashSet<string>> ExportedMetricNamesAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<MonitorMetrics>();
        builder.Services.AddSingleton<ReconcileMetrics>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(MonitorMetrics.MeterName).AddPrometheusExporter());
        await using var app = builder.Build();
        app.MapMonitorMetrics();

        var instruments = new HashSet<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == MonitorMetrics.MeterName)
                    lock (instruments) instruments.Add(instrument.Name);
            },
        };
        listener.Start();

        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(giveUp.Token);
        try
        {
            var metrics = app.Services.GetRequiredService<MonitorMetrics>();
            var report = new CheckReport
            {
                Domain = "example.test",
                CheckedAt = DateTimeOffset.UnixEpoch,
                Txt = new TxtSection([], null),
                Mx = [],
                Findings = [new Finding("test", Severity.Error, null, "test", "RFC 8461")],
            };
            metrics.CheckCompleted(report, "scheduled", TimeSpan.FromSeconds(1));
            metrics.TriggerMisfired();
            metrics.TriggerFired(TimeSpan.FromSeconds(1));
            metrics.MailAttempted("sent");
            metrics.SetOutboxBacklog(1);
            metrics.SetOpenIncidents(1);
            metrics.TlsRptReceived("https", "stored");
            app.Services.GetRequiredService<ReconcileMetrics>().PassCompleted(full: true, TimeSpan.FromSeconds(1));
            app.Services.GetRequiredService<ReconcileMetrics>().Domains(full: true, new ReconcileSummary(1, 1, 0, 0, 0, 0));

            using var http = new HttpClient();
            var body = await http.GetStringAsync(new Uri(new Uri(app.Urls.First()), "/metrics"), giveUp.Token);

            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var line in body.Split('\n'))
            {
                // Series names only: a classic histogram's family name (without _bucket/_sum/_count) selects nothing.
                var name = line.StartsWith('#') ? null : SeriesName().Match(line).Value;
                if (!string.IsNullOrEmpty(name))
                    names.Add(name);
            }

            // Every instrument of the service's meter made it into the scrape (a new instrument must be recorded above).
            lock (instruments)
            {
                Assert.NotEmpty(instruments);
                foreach (var instrument in instruments)
                    Assert.True(names.Any(n => n.StartsWith(instrument.Replace('.', '_'), StringComparison.Ordinal)),
                        $"instrument {instrument} is not in the scrape; record it in {nameof(ExportedMetricNamesAsync)}");
            }
            return names;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MonitorService.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("MonitorService.sln not found above the test's folder.");
    }

    [GeneratedRegex(@"^(?<indent>\s*)(?:-\s+)?expr:\s*(?<value>.*)$")]
    private static partial Regex ExprLine();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'|`[^`]*`")]
    private static partial Regex QuotedString();

    [GeneratedRegex(@"\{[^}]*\}|\[[^\]]*\]")]
    private static partial Regex LabelMatchersOrRange();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex GroupingClause();

    [GeneratedRegex(@"(?<![\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex SeriesName();
}
