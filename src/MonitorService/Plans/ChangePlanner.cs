using MonitorService.Checks.Analysis;
using MonitorService.Checks.Model;
using MonitorService.Checks.Parsing;
using MonitorService.Storage.Entities;

namespace MonitorService.Plans;

/// <summary>
/// Computes a plan from the baseline and the target, in the order that never leaves a sender with a cached policy
/// that refuses the live MX hosts (RFC 8461 §3.2, §8.1): optionally lower max_age first; publish a policy covering
/// old and new hosts, then a new id; wait out the sender caches; switch MX; remove the old hosts from the policy, then
/// a new id; switch testing to enforce after a clean period. Steps with nothing to do are left out. Pure.
/// </summary>
public static class ChangePlanner
{
    /// <summary>Suffixes of the ids of the plan's second, third, ... policy: one time stamp, distinct ids.</summary>
    private static readonly string[] IdSuffixes = ["", "b", "c", "d", "e"];

    public static ChangePlan Create(Guid domainId, PlanBaseline baseline, PlanTarget target, DateTimeOffset now, TimeSpan cleanPeriod, string? createdBy)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(target);
        var domain = baseline.Domain;
        var newMx = target.Mx.OrderBy(r => r.Preference).ToList();
        var newHosts = newMx.Select(r => r.Host).ToList();
        if (newHosts.ToHashSet().SetEquals(baseline.MxHosts))
            throw new PlanRequestException(PlanError.Invalid,
                $"newMx: the MX hosts of {domain} are already {string.Join(", ", baseline.MxHosts)}; this assistant plans a change of MX hosts.", "newMx");

        var mode = baseline.Mode;
        var targetMode = target.Mode ?? mode;
        var targetMaxAge = target.MaxAge ?? baseline.MaxAge;
        // A lower max_age goes first, as its own step: every later policy then lives in caches for the short time only.
        var lowering = targetMaxAge < baseline.MaxAge;
        var workingMaxAge = lowering ? targetMaxAge : baseline.MaxAge;
        var added = newHosts.Where(h => !baseline.MxHosts.Contains(h)).ToList();
        var removed = baseline.MxHosts.Where(h => !newHosts.Contains(h)).ToList();
        var uncovered = newHosts.Where(h => MxPatternMatcher.FindCoveringPattern(baseline.Patterns, h) is null).ToList();
        // Wildcards only where the user's own patterns have them: existing patterns are kept as written, new hosts are
        // added by name. The final policy keeps the existing patterns that still cover a new host.
        var transition = baseline.Patterns.Concat(uncovered).ToList();
        var final = baseline.Patterns.Where(p => newHosts.Any(h => MxPatternMatcher.Matches(p, h))).Concat(uncovered).ToList();
        var finalMode = targetMode == StsMode.Enforce && mode == StsMode.Testing ? StsMode.Testing : targetMode;

        var steps = new List<ChangePlanStep>();
        var ids = 0;
        string NextId() => NewPolicyId.At(now, baseline.TxtId, IdSuffixes[ids++]);
        var published = (Patterns: (IReadOnlyList<string>)baseline.Patterns, Mode: mode, MaxAge: baseline.MaxAge);

        if (lowering)
        {
            steps.Add(PublishStep(domain, PlanActions.LowerMaxAge,
                $"Lower max_age from {PlanTexts.Seconds(baseline.MaxAge)} to {PlanTexts.Seconds(targetMaxAge)}, with the same hosts, so that " +
                "the rest of this change and later changes wait for the short time only.",
                baseline.Patterns, mode, targetMaxAge, NextId()));
            steps.Add(Step(PlanActions.WaitForMaxAge, PlanTexts.WaitForMaxAge(baseline.MaxAge, targetMaxAge, null), targetMaxAge));
            published = (baseline.Patterns, mode, targetMaxAge);
        }
        if (uncovered.Count > 0)
        {
            steps.Add(PublishStep(domain, PlanActions.PublishPolicy,
                $"Publish a policy that covers the current MX hosts and the new ones ({string.Join(", ", uncovered)}), before any MX record changes.",
                transition, mode, workingMaxAge, NextId()));
            published = (transition, mode, workingMaxAge);
        }
        if (added.Count > 0)
            steps.Add(Step(PlanActions.WaitForSenderCaches, PlanTexts.WaitForSenderCaches(added, workingMaxAge, null)));
        steps.Add(Step(PlanActions.SwitchMx, PlanTexts.SwitchMx(domain, newMx, removed)));
        if (!final.SequenceEqual(published.Patterns) || finalMode != published.Mode || targetMaxAge != published.MaxAge)
        {
            var removes = !final.SequenceEqual(published.Patterns);
            steps.Add(PublishStep(domain, removes ? PlanActions.RemoveOldHosts : PlanActions.PublishFinalPolicy,
                removes
                    ? $"Once the old hosts are gone from MX, remove them from the policy ({string.Join(", ", published.Patterns.Except(final))})."
                    : $"Once the MX records are switched, publish the final policy (mode {StsPolicy.ModeName(finalMode)}, max_age {PlanTexts.Seconds(targetMaxAge)}).",
                final, finalMode, targetMaxAge, NextId()));
        }
        if (finalMode != targetMode)
            steps.Add(PublishStep(domain, PlanActions.SwitchToEnforce,
                $"After {PlanTexts.Days(cleanPeriod)} of checks without errors, switch the policy from testing to enforce.",
                final, StsMode.Enforce, targetMaxAge, NextId()));

        var plan = new ChangePlan
        {
            Id = Guid.CreateVersion7(now),
            DomainId = domainId,
            CreatedAt = now,
            CreatedBy = createdBy,
            OldMx = [.. baseline.MxHosts],
            OldPatterns = [.. baseline.Patterns],
            OldMode = StsPolicy.ModeName(mode),
            OldMaxAge = baseline.MaxAge,
            OldTxtId = baseline.TxtId,
            TargetMx = [.. newHosts],
            TargetPreferences = [.. newMx.Select(r => r.Preference)],
            TargetMode = StsPolicy.ModeName(targetMode),
            TargetMaxAge = targetMaxAge,
            CurrentTxtId = baseline.TxtId,
        };
        for (var i = 0; i < steps.Count; i++)
        {
            steps[i].PlanId = plan.Id;
            steps[i].N = i + 1;
        }
        steps[0].Status = ChangePlanStepStatus.Ready;
        steps[0].EarliestAt = now;
        plan.Steps = steps;
        return plan;
    }

    private static ChangePlanStep PublishStep(string domain, string action, string intro, IReadOnlyList<string> patterns, StsMode mode, long maxAge, string id)
    {
        var modeName = StsPolicy.ModeName(mode);
        // The body is ours, but a plan must never tell anyone to publish what senders would refuse.
        if (!StsPolicyParser.Parse(PlanTexts.PolicyBody(patterns, modeName, maxAge)).Policy.IsUsable)
            throw new InvalidOperationException($"The planned policy for {action} is not valid.");
        return new ChangePlanStep
        {
            Action = action,
            Text = PlanTexts.Publish(domain, intro, patterns, modeName, maxAge, id),
            PolicyMx = [.. patterns],
            PolicyMode = modeName,
            PolicyMaxAge = maxAge,
            TxtId = id,
        };
    }

    private static ChangePlanStep Step(string action, string text, long? maxAge = null) =>
        new() { Action = action, Text = text, PolicyMaxAge = maxAge };
}
