using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MonitorService.Monitoring;
using MonitorService.Monitoring.Drift;
using MonitorService.Plans;
using MonitorService.Storage.Entities;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Monitoring;
using static MonitorService.Testing.CheckEnvironment;
using static MonitorService.Tests.Plans.PlanKit;

namespace MonitorService.Tests.Plans;

/// <summary>
/// A plan supervised by real checks: the loopback DNS, policy host and SMTP servers change as the steps say (from the
/// steps' own texts), the clock moves by hand, and the plan, its mail and the drift history are read from PostgreSQL.
/// </summary>
[Collection(PostgresCollection.Name)]
public class ChangePlanSupervisionTests(PostgresFixture postgres)
{
    private const string Early = "MX switched before it was safe";
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(604800);

    private async Task<(MonitorHarness H, Guid Id)> StartAsync(string hint)
    {
        // A longer time limit than the harness's 2 s: a plan is made from a check that fetched the policy, also on a busy machine.
        var h = await MonitorHarness.StartAsync(postgres, hint, new Dictionary<string, string?> { ["Checks:TimeoutSeconds"] = "5" });
        PrepareMx3(h.Env);
        var id = await h.AddDomainAsync();
        await h.CheckAsync(id);
        return (h, id);
    }

    [Fact]
    public async Task The_right_order_completes_the_plan_without_an_error_alert()
    {
        var (h, id) = await StartAsync("plan_right");
        await using var _ = h;
        var oldLastSeen = h.Clock.GetUtcNow();
        var plan = await h.PlanMx3Async(id);
        Assert.Equal([PlanActions.PublishPolicy, PlanActions.WaitForSenderCaches, PlanActions.SwitchMx, PlanActions.RemoveOldHosts], plan.Steps.OrderBy(s => s.N).Select(s => s.Action));

        h.Clock.Advance(TimeSpan.FromHours(1));
        Publish(h.Env, plan.Step(1));
        await h.CheckAsync(id);
        plan = await h.PlanAsync(id);
        Assert.Equal((ChangePlanStepStatus.Done, h.Clock.GetUtcNow()), (plan.Step(1).Status, plan.Step(1).DoneAt));
        // The wait ends when the old policy, last seen by the check before, runs out of senders' caches.
        Assert.Equal(oldLastSeen + MaxAge, plan.Step(2).EarliestAt);

        h.Clock.Advance(TimeSpan.FromDays(3));
        await h.CheckAsync(id);
        Assert.Equal(ChangePlanStepStatus.Pending, (await h.PlanAsync(id)).Step(3).Status);

        h.Clock.Advance(TimeSpan.FromDays(4));
        await h.CheckAsync(id);
        plan = await h.PlanAsync(id);
        Assert.Equal((ChangePlanStepStatus.Done, ChangePlanStepStatus.Ready), (plan.Step(2).Status, plan.Step(3).Status));
        Assert.Equal(1, (await h.MailSubjectsAsync(id)).Count("you can switch MX now (change plan step 3)"));

        h.Clock.Advance(TimeSpan.FromHours(1));
        SwitchMx(h.Env, plan.Step(3));
        await h.CheckAsync(id);
        plan = await h.PlanAsync(id);
        Assert.Equal((ChangePlanStepStatus.Done, ChangePlanStepStatus.Ready), (plan.Step(3).Status, plan.Step(4).Status));

        h.Clock.Advance(TimeSpan.FromHours(1));
        Publish(h.Env, plan.Step(4));
        var last = await h.CheckAsync(id);
        plan = await h.PlanAsync(id);
        Assert.Equal((ChangePlanStates.Done, h.Clock.GetUtcNow()), (plan.State, plan.EndedAt));
        Assert.All(plan.Steps, s => Assert.Equal(ChangePlanStepStatus.Done, s.Status));
        Assert.Equal("ok", last.Report.Status);

        var subjects = await h.MailSubjectsAsync(id);
        Assert.Equal(0, subjects.Count(Early));
        Assert.Equal(1, subjects.Count("change plan complete"));
        await using var db = h.Db();
        Assert.False(await db.DriftEvents.AnyAsync(e => e.DomainId == id && e.Severity != "info"), "the right order raises no warning or error");
    }

    [Fact]
    public async Task Switching_mx_early_marks_the_step_early_and_alerts_once_with_the_exposure_window()
    {
        var (h, id) = await StartAsync("plan_early");
        await using var _ = h;
        var oldLastSeen = h.Clock.GetUtcNow();
        var plan = await h.PlanMx3Async(id);
        h.Clock.Advance(TimeSpan.FromHours(1));
        Publish(h.Env, plan.Step(1));
        await h.CheckAsync(id);

        h.Clock.Advance(TimeSpan.FromHours(1));
        SwitchMx(h.Env, plan.Step(3));
        await h.CheckAsync(id);
        h.Clock.Advance(TimeSpan.FromHours(1));
        await h.CheckAsync(id);

        plan = await h.PlanAsync(id);
        Assert.Equal(ChangePlanStepStatus.Early, plan.Step(3).Status);
        Assert.Equal(ChangePlanStepStatus.Pending, plan.Step(2).Status);
        var subjects = await h.MailSubjectsAsync(id);
        var until = (oldLastSeen + MaxAge).ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(1, subjects.Count($"{Early} (change plan step 3): senders may refuse mail until {until}"));
        await using var db = h.Db();
        var mail = await db.Outbox.Where(o => o.DomainId == id && o.Subject.Contains(Early)).SingleAsync();
        Assert.Equal(OutboxKinds.Alert, mail.Kind);
        Assert.Equal(["ops@example.test"], mail.Recipients);
        var text = MimeKit.MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(mail.Mime))).TextBody;
        Assert.Contains("served under id \"20260101\"", text, StringComparison.Ordinal);
        Assert.Contains($"may apply it until {until} and refuse mail to {Mx3}", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_published_without_a_new_id_is_caught_at_step_1()
    {
        var (h, id) = await StartAsync("plan_noid");
        await using var _ = h;
        var plan = await h.PlanMx3Async(id);

        h.Clock.Advance(TimeSpan.FromHours(1));
        ServePolicyOf(h.Env, plan.Step(1)); // and the TXT record stays as it was
        var result = await h.CheckAsync(id);
        h.Clock.Advance(TimeSpan.FromHours(1));
        await h.CheckAsync(id);

        plan = await h.PlanAsync(id);
        Assert.Null(plan.Step(1).DoneAt);
        Assert.Contains("still has the id \"20260101\"", plan.Problem, StringComparison.Ordinal);
        Assert.Contains(TxtRecordOf(plan.Step(1)), plan.Problem, StringComparison.Ordinal);
        Assert.Equal(1, (await h.MailSubjectsAsync(id)).Count("change plan step 1 is stuck: the new id is missing"));
        Assert.Contains(result.Events, e => e.Code == DriftCodes.StaleId);

        h.Clock.Advance(TimeSpan.FromHours(1));
        PublishTxtOf(h.Env, plan.Step(1));
        await h.CheckAsync(id);
        plan = await h.PlanAsync(id);
        Assert.Equal(ChangePlanStepStatus.Done, plan.Step(1).Status);
        Assert.Null(plan.Problem);
    }

    [Fact]
    public async Task A_cancelled_plan_stops_moving_stays_in_the_history_and_a_new_one_can_start()
    {
        var (h, id) = await StartAsync("plan_cancel");
        await using var _ = h;
        var plan = await h.PlanMx3Async(id);
        var again = await Assert.ThrowsAsync<PlanRequestException>(() => h.PlanMx3Async(id));
        Assert.Equal(PlanError.Conflict, again.Kind);

        var cancelled = await h.Plans().CancelAsync(id, CancellationToken.None);
        Assert.Equal(ChangePlanStates.Cancelled, cancelled!.State);
        h.Clock.Advance(TimeSpan.FromHours(1));
        Publish(h.Env, plan.Step(1));
        await h.CheckAsync(id);

        var stored = await h.PlanAsync(id);
        Assert.Equal((ChangePlanStates.Cancelled, (DateTimeOffset?)null), (stored.State, stored.Step(1).DoneAt));
        Assert.Null(await h.Plans().CancelAsync(id, CancellationToken.None));
        Assert.Empty(await h.MailSubjectsAsync(id));

        // The MX set is unchanged (mx3 is only in the policy): a new plan starts from what the last check saw.
        var next = await h.PlanMx3Async(id);
        Assert.Equal([PlanActions.WaitForSenderCaches, PlanActions.SwitchMx, PlanActions.RemoveOldHosts], next.Steps.OrderBy(s => s.N).Select(s => s.Action));
        var history = await h.Plans().HistoryAsync(id, CancellationToken.None);
        Assert.Equal([ChangePlanStates.Active, ChangePlanStates.Cancelled], history.Select(p => p.State));
    }

    [Fact]
    public async Task Two_nodes_checking_at_once_advance_the_plan_once()
    {
        var (h, id) = await StartAsync("plan_nodes");
        await using var _ = h;
        await using var node2 = h.AddNode();
        var plan = await h.PlanMx3Async(id);
        h.Clock.Advance(TimeSpan.FromHours(1));
        Publish(h.Env, plan.Step(1));
        await h.CheckAsync(id);

        h.Clock.Advance(MaxAge);
        var runners = new[] { h.Runner, node2.GetRequiredService<DomainCheckRunner>() };
        await Task.WhenAll(runners.Select(r => r.CheckAsync(id, CheckTrigger.Manual, CancellationToken.None)));
        Assert.Equal(1, (await h.MailSubjectsAsync(id)).Count("you can switch MX now"));

        h.Clock.Advance(TimeSpan.FromHours(1));
        SwitchMx(h.Env, (await h.PlanAsync(id)).Step(3));
        await Task.WhenAll(runners.Select(r => r.CheckAsync(id, CheckTrigger.Manual, CancellationToken.None)));

        plan = await h.PlanAsync(id);
        Assert.Equal((ChangePlanStepStatus.Done, h.Clock.GetUtcNow()), (plan.Step(3).Status, plan.Step(3).DoneAt));
        var subjects = await h.MailSubjectsAsync(id);
        Assert.Equal(1, subjects.Count("change plan step 4 (remove-old-hosts) is safe now"));
        Assert.Equal(3, subjects.Count("change plan")); // step 1 done, switch now, step 4 safe now: each once
    }
}
