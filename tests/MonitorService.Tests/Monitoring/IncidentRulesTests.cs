using MonitorService.Checks.Model;
using MonitorService.Monitoring;
using MonitorService.Storage.Entities;

namespace MonitorService.Tests.Monitoring;

/// <summary>
/// <see cref="IncidentRules.Reconcile"/> on plain values: which findings open incidents at once, which wait for
/// confirmation, and what closing or discarding means for the times a user reads on the domain page.
/// </summary>
public sealed class IncidentRulesTests
{
    private static readonly Guid DomainId = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Previous = Now.AddHours(-1);

    public static TheoryData<string, Severity, bool> NewFindings => new()
    {
        // code, severity, opens at once
        { FindingCodes.MxMismatch, Severity.Error, true },
        { FindingCodes.PolicyCertInvalid, Severity.Warning, true },
        { FindingCodes.PolicyUnreachable, Severity.Error, false },  // transient: waits for confirmation
        { FindingCodes.SmtpUnreachable, Severity.Warning, false },
        { FindingCodes.CheckTimeout, Severity.Error, false },
        { FindingCodes.DaneTlsaDnsError, Severity.Error, false }, // a failed TLSA lookup, like any failed lookup
        { FindingCodes.DaneTlsaMismatch, Severity.Error, true },
    };

    [Theory]
    [MemberData(nameof(NewFindings))]
    public void A_new_problem_opens_at_once_unless_it_is_transient(string code, Severity severity, bool opensAtOnce)
    {
        var changes = IncidentRules.Reconcile(DomainId, [], [Finding(code, severity, "mx1.example.test")], Now, Previous, confirmations: 3);

        var incident = Assert.Single(changes.Created);
        Assert.Equal((code, "mx1.example.test", severity.Name(), 1), (incident.Code, incident.Subject, incident.Severity, incident.SeenCount));
        Assert.Equal(opensAtOnce, changes.Opened.Contains(incident));
        Assert.Equal(opensAtOnce ? Now : null, incident.OpenedAt);
        Assert.Equal(!opensAtOnce, changes.AwaitingConfirmation);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)] // the third sighting with confirmations = 3
    public void A_transient_problem_opens_on_its_confirming_sighting(int seenBefore, bool opens)
    {
        var pending = Incident(FindingCodes.PolicyUnreachable, opened: null, seenCount: seenBefore);

        var changes = IncidentRules.Reconcile(DomainId, [pending], [Finding(FindingCodes.PolicyUnreachable, Severity.Error, pending.Subject)], Now, Previous, confirmations: 3);

        Assert.Equal(seenBefore + 1, pending.SeenCount);
        Assert.Equal(opens, changes.Opened.Contains(pending));
        Assert.Equal(!opens, changes.AwaitingConfirmation);
        Assert.Empty(changes.Created);
    }

    [Fact]
    public void An_open_problem_seen_again_is_not_rewritten_but_takes_the_newest_wording()
    {
        var open = Incident(FindingCodes.MxMismatch, opened: Previous.AddDays(-1), seenCount: 1);
        var lastSeen = open.LastSeenAt;

        var changes = IncidentRules.Reconcile(DomainId, [open], [Finding(FindingCodes.MxMismatch, Severity.Error, open.Subject, "new words")], Now, Previous, 3);

        Assert.Empty(changes.Opened.Concat(changes.Created).Concat(changes.Closed));
        Assert.Equal((lastSeen, 1, "new words"), (open.LastSeenAt, open.SeenCount, open.Message));
    }

    [Fact]
    public void A_gone_problem_closes_now_and_was_last_seen_by_the_previous_check()
    {
        var open = Incident(FindingCodes.MxMismatch, opened: Previous.AddDays(-1), seenCount: 1);

        var changes = IncidentRules.Reconcile(DomainId, [open], [], Now, Previous, 3);

        Assert.Equal([open], changes.Closed);
        Assert.Equal((Now, Previous), (open.ClosedAt, open.LastSeenAt));
    }

    [Fact]
    public void A_pending_problem_that_goes_away_is_discarded_without_closing()
    {
        var pending = Incident(FindingCodes.SmtpUnreachable, opened: null, seenCount: 2);

        var changes = IncidentRules.Reconcile(DomainId, [pending], [], Now, Previous, 3);

        Assert.Equal([pending], changes.Discarded);
        Assert.Empty(changes.Closed);
        Assert.Null(pending.ClosedAt);
        Assert.False(changes.AwaitingConfirmation);
    }

    [Theory]
    [InlineData(Severity.Info, 0)]
    [InlineData(Severity.Warning, 1)]
    public void Info_findings_never_become_incidents_and_duplicates_count_once(Severity severity, int expected)
    {
        var findings = new[] { Finding("X_CODE", severity, "a"), Finding("X_CODE", severity, "a") };

        Assert.Equal(expected, IncidentRules.Reconcile(DomainId, [], findings, Now, Previous, 3).Created.Count);
    }

    [Theory]
    [InlineData(new[] { "warning", "error" }, DomainStatus.Error)]
    [InlineData(new[] { "warning" }, DomainStatus.Warning)]
    [InlineData(new string[0], DomainStatus.Ok)]
    public void The_domain_status_is_the_worst_open_incident(string[] severities, string expected)
    {
        var incidents = severities.Select(s => new Incident { DomainId = DomainId, Code = "C", Subject = s, Severity = s, Message = "", FirstSeenAt = Now, OpenedAt = Now }).ToList();
        incidents.Add(new Incident { DomainId = DomainId, Code = "C", Subject = "closed", Severity = "error", Message = "", FirstSeenAt = Now, OpenedAt = Now, ClosedAt = Now });

        Assert.Equal(expected, IncidentRules.StatusOf(incidents));
    }

    [Theory]
    [InlineData("open", 1, 1)]      // open: seen by the domain's last check
    [InlineData("open", -1, 0)]     // the stored sighting is newer (its confirming check): that one
    [InlineData("closed", 1, 0)]    // closed: what was stored when it closed
    [InlineData("pending", 1, 0)]   // pending: stored per check
    public void The_last_sighting_of_an_open_incident_is_the_domains_last_check(string state, int domainCheckAfterHours, int expectedFromStored)
    {
        var stored = Previous;
        var incident = Incident(FindingCodes.MxMismatch, opened: state == "pending" ? null : Previous.AddDays(-1), seenCount: 1);
        incident.LastSeenAt = stored;
        incident.ClosedAt = state == "closed" ? Now : null;
        var domainLastCheck = stored.AddHours(domainCheckAfterHours);

        Assert.Equal(expectedFromStored == 1 ? domainLastCheck : stored, IncidentRules.LastSighting(incident, domainLastCheck));
    }

    private static Finding Finding(string code, Severity severity, string? subject, string message = "message") =>
        new(code, severity, subject, message, "RFC 8461");

    private static Incident Incident(string code, DateTimeOffset? opened, int seenCount) => new()
    {
        DomainId = DomainId, Code = code, Subject = "host.example.test", Severity = "error", Message = "old words",
        FirstSeenAt = Previous.AddDays(-2), LastSeenAt = Previous.AddDays(-2), SeenCount = seenCount, OpenedAt = opened,
    };
}
