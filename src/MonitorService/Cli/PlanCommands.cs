using System.Text.Json;
using MonitorService.Domains;
using MonitorService.Output;
using MonitorService.Plans;
using MonitorService.Storage.Entities;

namespace MonitorService.Cli;

/// <summary>
/// <c>MonitorService domains plan|plan-status|plan-cancel DOMAIN</c>: plan an MX change, follow it, cancel it (the
/// plan then advances with every monitored check, scheduled or <c>domains check</c>).
/// </summary>
public static class PlanCommands
{
    public const string Usage = """
          MonitorService domains plan DOMAIN --new-mx HOST[:PREF][,HOST...] [--mode enforce|testing] [--max-age SECONDS] [--team NAME] [--format text|json]
          MonitorService domains plan-status DOMAIN [--team NAME] [--format text|json]   the active plan, else the latest
          MonitorService domains plan-cancel DOMAIN [--team NAME] [--format text|json]
        """;

    public static bool Handles(string verb) => verb is "plan" or "plan-status" or "plan-cancel";

    private sealed record Arguments(string Domain, string? Team, IReadOnlyList<string> NewMx, string? Mode, long? MaxAge, string Format);

    public static async Task<int> RunAsync(CliContext context, string verb, IReadOnlyList<string> args, CancellationToken ct)
    {
        var a = Parse(verb, args);
        await using var host = await context.StartHostAsync(ct);
        var registry = host.Services.GetRequiredService<DomainRegistry>();
        var plans = host.Services.GetRequiredService<ChangePlanService>();
        try
        {
            var domain = await registry.GetAsync(a.Domain, a.Team, ct);
            var plan = verb switch
            {
                "plan" => await plans.CreateAsync(domain.Id, PlanTarget.Parse(a.NewMx, a.Mode, a.MaxAge), "cli", ct),
                "plan-cancel" => await plans.CancelAsync(domain.Id, ct),
                _ => await plans.CurrentAsync(domain.Id, ct),
            } ?? throw new PlanRequestException(PlanError.NotFound, verb == "plan-cancel"
                ? $"{domain.Name} has no active change plan."
                : $"{domain.Name} has no change plan; start one with: MonitorService domains plan {domain.Name} --new-mx HOST");
            await WriteAsync(context.Stdout, plan, PlanView.Of(domain.Name, plan), a.Format);
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is PlanRequestException or DomainRequestException)
        {
            await context.Stderr.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Usage;
        }
    }

    private static Arguments Parse(string verb, IReadOnlyList<string> args)
    {
        string? domain = null, team = null, mode = null;
        long? maxAge = null;
        var newMx = new List<string>();
        var format = "text";
        var reader = new ArgumentReader(args);
        while (reader.TryNext(out var arg, out var inline))
        {
            switch (arg)
            {
                case "--team":
                    team = reader.Value(arg, inline);
                    break;
                case "--new-mx" when verb == "plan":
                    newMx.Add(reader.Value(arg, inline));
                    break;
                case "--mode" when verb == "plan":
                    mode = reader.Value(arg, inline);
                    break;
                case "--max-age" when verb == "plan":
                    maxAge = reader.IntValue(arg, inline, 1, (int)PlanTarget.MaxMaxAge);
                    break;
                case "--format":
                    format = reader.Value(arg, inline);
                    if (format is not ("text" or "json"))
                        throw new UsageException($"--format must be text or json, not '{format}'.");
                    break;
                case var option when option.StartsWith('-'):
                    throw new UsageException($"Unknown option '{option}' for domains {verb}.");
                default:
                    if (domain is not null)
                        throw new UsageException($"Unexpected argument '{arg}' for domains {verb}.");
                    domain = arg;
                    break;
            }
        }
        if (domain is null)
            throw new UsageException($"Name the domain: MonitorService domains {verb} example.com");
        if (verb == "plan" && newMx.Count == 0)
            throw new UsageException("Name the MX hosts to move to: MonitorService domains plan example.com --new-mx mx1.example.net,mx2.example.net");
        return new Arguments(domain, team, newMx, mode, maxAge, format);
    }

    private static async Task WriteAsync(TextWriter stdout, ChangePlan plan, PlanView view, string format)
    {
        if (format == "json")
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(view, ReportJson.Options));
            return;
        }
        await stdout.WriteLineAsync($"Change plan for {view.Domain}: {view.State}");
        await stdout.WriteLineAsync($"Target: MX {TextReportWriter.Safe(string.Join(", ", view.Target.Mx))} · mode {view.Target.Mode} · max_age {PlanTexts.Seconds(view.Target.MaxAge)}");
        if (plan.Problem is { } problem)
            await stdout.WriteLineAsync($"Problem: {TextReportWriter.Safe(problem)}");
        foreach (var step in view.Steps)
        {
            await stdout.WriteLineAsync();
            await stdout.WriteLineAsync($"Step {step.N}  {step.Action}  {PlanMail.Status(plan.Steps.Single(s => s.N == step.N)).ToUpperInvariant()}");
            foreach (var line in step.Text.TrimEnd('\n').Split('\n'))
                await stdout.WriteLineAsync(line.Length == 0 ? "" : $"    {TextReportWriter.Safe(line)}");
        }
    }
}
