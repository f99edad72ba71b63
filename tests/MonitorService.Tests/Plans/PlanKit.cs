using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MonitorService.Plans;
using MonitorService.Storage.Entities;
using MonitorService.Tests.Monitoring;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Tests.Plans;

/// <summary>
/// Doing what a plan's steps say on the loopback servers, from the steps' own texts (so the texts are what is
/// tested), and reading what the plan and the outbox hold.
/// </summary>
internal static class PlanKit
{
    public const string Mx3 = "mx3.example.test";

    /// <summary>The new provider's host: resolvable and answering STARTTLS with a valid certificate, not yet in MX.</summary>
    public static void PrepareMx3(CheckEnvironment env)
    {
        env.Zone.AddA(Mx3, MxSpareIp.ToString());
        env.Smtp.SetCertificate(Mx3, env.Ca.IssueLeaf(Mx3));
    }

    public static ChangePlanService Plans(this MonitorHarness h) => h.Services.GetRequiredService<ChangePlanService>();

    public static Task<ChangePlan> PlanMx3Async(this MonitorHarness h, Guid domainId) =>
        h.Plans().CreateAsync(domainId, PlanTarget.Parse([Mx3], null, null), "ops@example.test", CancellationToken.None);

    public static async Task<ChangePlan> PlanAsync(this MonitorHarness h, Guid domainId) =>
        await h.Plans().CurrentAsync(domainId, CancellationToken.None) ?? throw new InvalidOperationException("no plan");

    /// <summary>The policy body a publishing step's text says to serve (between "version:" and the blank line).</summary>
    public static string PolicyBodyOf(ChangePlanStep step)
    {
        var start = step.Text.IndexOf("version: STSv1", StringComparison.Ordinal);
        Assert.True(start >= 0, $"step {step.N} names no policy: {step.Text}");
        var end = step.Text.IndexOf("\n\n", start, StringComparison.Ordinal);
        return step.Text[start..(end + 1)];
    }

    /// <summary>The TXT record a publishing step's text says to publish, as its quoted value.</summary>
    public static string TxtRecordOf(ChangePlanStep step)
    {
        var start = step.Text.IndexOf($"_mta-sts.{Domain} TXT \"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"step {step.N} names no TXT record: {step.Text}");
        var value = step.Text[(start + $"_mta-sts.{Domain} TXT \"".Length)..];
        return value[..value.IndexOf('"', StringComparison.Ordinal)];
    }

    public static void ServePolicyOf(CheckEnvironment env, ChangePlanStep step) =>
        env.Https.SetResponse(PolicyHost, PolicyResponse.Ok(PolicyBodyOf(step)));

    public static void PublishTxtOf(CheckEnvironment env, ChangePlanStep step)
    {
        env.Zone.Remove($"_mta-sts.{Domain}", "TXT");
        env.Zone.AddTxt($"_mta-sts.{Domain}", TxtRecordOf(step));
    }

    /// <summary>Does a publishing step completely: the policy first, then its id.</summary>
    public static void Publish(CheckEnvironment env, ChangePlanStep step)
    {
        ServePolicyOf(env, step);
        PublishTxtOf(env, step);
    }

    /// <summary>The MX records a switch step's text names (lines "DOMAIN. IN MX PREF HOST.").</summary>
    public static void SwitchMx(CheckEnvironment env, ChangePlanStep step)
    {
        env.Zone.Remove(Domain, "MX");
        foreach (var line in step.Text.Split('\n').Where(l => l.StartsWith($"{Domain}. IN MX ", StringComparison.Ordinal)))
        {
            var parts = line.Split(' ');
            env.Zone.AddMx(Domain, ushort.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture), parts[4].TrimEnd('.'));
        }
    }

    public static ChangePlanStep Step(this ChangePlan plan, int n) => plan.Steps.Single(s => s.N == n);

    /// <summary>Subjects of the domain's queued mail, oldest first.</summary>
    public static async Task<List<string>> MailSubjectsAsync(this MonitorHarness h, Guid domainId)
    {
        await using var db = h.Db();
        return await db.Outbox.Where(o => o.DomainId == domainId).OrderBy(o => o.CreatedAt).ThenBy(o => o.Id).Select(o => o.Subject).ToListAsync();
    }

    public static int Count(this IEnumerable<string> subjects, string part) => subjects.Count(s => s.Contains(part, StringComparison.Ordinal));
}
