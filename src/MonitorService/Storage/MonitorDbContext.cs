using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using MonitorService.Storage.Entities;

namespace MonitorService.Storage;

/// <summary>
/// The monitor's PostgreSQL store. Tables and columns are snake_case (plain SQL stays readable).
/// It is also Identity's store: users, memberships and domains live in one schema with real foreign keys between
/// them, one migration history and one context to back up and reason about (a second context on the same database
/// would split the history and could not reference teams).
/// </summary>
public sealed class MonitorDbContext(DbContextOptions<MonitorDbContext> options)
    : IdentityDbContext<MonitorUser, IdentityRole<Guid>, Guid>(options)
{
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<MonitoredDomain> Domains => Set<MonitoredDomain>();
    public DbSet<Snapshot> Snapshots => Set<Snapshot>();
    public DbSet<Observation> Observations => Set<Observation>();
    public DbSet<Incident> Incidents => Set<Incident>();
    public DbSet<DriftEventRecord> DriftEvents => Set<DriftEventRecord>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<DeliveryAttempt> DeliveryAttempts => Set<DeliveryAttempt>();
    public DbSet<TeamMember> TeamMembers => Set<TeamMember>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<AlertChannel> AlertChannels => Set<AlertChannel>();
    public DbSet<ChangePlan> ChangePlans => Set<ChangePlan>();
    public DbSet<TlsRptReport> TlsRptReports => Set<TlsRptReport>();
    public DbSet<TlsRptPolicy> TlsRptPolicies => Set<TlsRptPolicy>();
    public DbSet<TlsRptFailure> TlsRptFailures => Set<TlsRptFailure>();
    public DbSet<TlsRptRejected> TlsRptRejected => Set<TlsRptRejected>();
    public DbSet<TlsRptAlert> TlsRptAlerts => Set<TlsRptAlert>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        // Identity's tables under plain names (asp_net_users would say nothing a reader needs).
        model.Entity<MonitorUser>().ToTable("users");
        model.Entity<IdentityRole<Guid>>().ToTable("roles");
        model.Entity<IdentityUserRole<Guid>>().ToTable("user_roles");
        model.Entity<IdentityUserClaim<Guid>>().ToTable("user_claims");
        model.Entity<IdentityUserLogin<Guid>>().ToTable("user_logins");
        model.Entity<IdentityUserToken<Guid>>().ToTable("user_tokens");
        model.Entity<IdentityRoleClaim<Guid>>().ToTable("role_claims");

        model.Entity<TeamMember>(member =>
        {
            member.ToTable("team_members");
            member.HasKey(m => new { m.TeamId, m.UserId });
            member.HasIndex(m => m.UserId);
            member.HasOne(m => m.Team).WithMany(t => t.Members).HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
            member.HasOne(m => m.User).WithMany(u => u.Memberships).HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<ApiToken>(token =>
        {
            token.ToTable("api_tokens");
            token.Property(t => t.Name).HasMaxLength(100);
            token.Property(t => t.Prefix).HasMaxLength(16);
            token.Property(t => t.Hash).HasMaxLength(64);
            token.Property(t => t.CreatedBy).HasMaxLength(256);
            token.HasIndex(t => t.Hash).IsUnique();
            token.HasIndex(t => t.TeamId);
            token.HasOne<Team>().WithMany().HasForeignKey(t => t.TeamId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<DataProtectionKey>(key => key.ToTable("data_protection_keys"));

        model.Entity<Team>(team =>
        {
            team.ToTable("teams");
            team.HasIndex(t => t.Name).IsUnique();
            team.Property(t => t.Name).HasMaxLength(100);
            team.Property(t => t.TimeZone).HasMaxLength(64);
            team.Property(t => t.TlsRptKey).HasMaxLength(32).HasDefaultValueSql(TlsRptKeys.DefaultSql);
            team.HasIndex(t => t.TlsRptKey).IsUnique();
        });

        model.Entity<MonitoredDomain>(domain =>
        {
            domain.ToTable("domains");
            domain.Property(d => d.Name).HasMaxLength(253);
            domain.Property(d => d.Status).HasMaxLength(16);
            domain.HasIndex(d => new { d.TeamId, d.Name }).IsUnique();
            domain.HasIndex(d => d.Name);
            domain.HasIndex(d => d.UpdatedAt);
            // The dashboard's list filters by status within teams (10,000 domains, paged).
            domain.HasIndex(d => new { d.TeamId, d.Status });
            // Every check updates last_checked_at and current_observation_checks: neither is indexed, and pages keep
            // room for the new row version, so those updates are HOT (no index writes). Sorting by last check sorts
            // the team's rows, which is cheap at dashboard sizes.
            domain.HasStorageParameter("fillfactor", 80);
            domain.HasOne(d => d.Team).WithMany(t => t.Domains).HasForeignKey(d => d.TeamId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<Snapshot>(snapshot =>
        {
            snapshot.ToTable("snapshots");
            snapshot.Property(s => s.Kind).HasMaxLength(16);
            snapshot.Property(s => s.Hash).HasMaxLength(64);
            snapshot.HasIndex(s => new { s.Kind, s.Hash }).IsUnique();
        });

        model.Entity<Observation>(observation =>
        {
            observation.ToTable("observations");
            observation.Property(o => o.StateHash).HasMaxLength(64);
            observation.Property(o => o.TxtId).HasMaxLength(32);
            // Newest first is highest id first: a domain's observations are created one at a time under its advisory
            // lock. (last_seen_at can't order them: it is null on the open one.)
            observation.HasIndex(o => new { o.DomainId, o.Id });
            observation.HasOne<MonitoredDomain>().WithMany().HasForeignKey(o => o.DomainId).OnDelete(DeleteBehavior.Cascade);
            observation.HasOne<Snapshot>().WithMany().HasForeignKey(o => o.MxSnapshotId).OnDelete(DeleteBehavior.Restrict);
            observation.HasOne<Snapshot>().WithMany().HasForeignKey(o => o.TxtSnapshotId).OnDelete(DeleteBehavior.Restrict);
            observation.HasOne<Snapshot>().WithMany().HasForeignKey(o => o.PolicySnapshotId).OnDelete(DeleteBehavior.Restrict);
            observation.HasOne<Snapshot>().WithMany().HasForeignKey(o => o.TlsRptSnapshotId).OnDelete(DeleteBehavior.Restrict);
            observation.HasOne<Snapshot>().WithMany().HasForeignKey(o => o.CertificatesSnapshotId).OnDelete(DeleteBehavior.Restrict);
            observation.HasOne<Snapshot>().WithMany().HasForeignKey(o => o.ReportSnapshotId).OnDelete(DeleteBehavior.Restrict);
        });

        model.Entity<Incident>(incident =>
        {
            incident.ToTable("incidents");
            incident.Property(i => i.Code).HasMaxLength(64);
            incident.Property(i => i.Severity).HasMaxLength(16);
            // At most one incident per finding that is not closed; closed ones are history.
            incident.HasIndex(i => new { i.DomainId, i.Code, i.Subject }).IsUnique().HasFilter("closed_at IS NULL");
            incident.HasIndex(i => new { i.DomainId, i.OpenedAt });
            incident.HasOne<MonitoredDomain>().WithMany().HasForeignKey(i => i.DomainId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<DriftEventRecord>(drift =>
        {
            drift.ToTable("drift_events");
            drift.Property(d => d.Code).HasMaxLength(64);
            drift.Property(d => d.Severity).HasMaxLength(16);
            drift.HasIndex(d => new { d.DomainId, d.DetectedAt });
            drift.HasOne<MonitoredDomain>().WithMany().HasForeignKey(d => d.DomainId).OnDelete(DeleteBehavior.Cascade);
            drift.HasOne<Observation>().WithMany().HasForeignKey(d => d.FromObservationId).OnDelete(DeleteBehavior.SetNull);
            drift.HasOne<Observation>().WithMany().HasForeignKey(d => d.ToObservationId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable("outbox_messages");
            outbox.Property(o => o.Kind).HasMaxLength(16);
            outbox.Property(o => o.Status).HasMaxLength(16);
            outbox.Property(o => o.DedupKey).HasMaxLength(200);
            outbox.Property(o => o.MessageId).HasMaxLength(200);
            outbox.Property(o => o.Subject).HasMaxLength(400);
            outbox.Property(o => o.Channel).HasMaxLength(16).HasDefaultValue(OutboxChannels.Mail);
            outbox.HasIndex(o => o.DedupKey).IsUnique();
            // What the delivery job scans: due queued mail and expired claims.
            outbox.HasIndex(o => new { o.Status, o.NextAttemptAt });
            outbox.HasOne<Team>().WithMany().HasForeignKey(o => o.TeamId).OnDelete(DeleteBehavior.SetNull);
            outbox.HasOne<MonitoredDomain>().WithMany().HasForeignKey(o => o.DomainId).OnDelete(DeleteBehavior.SetNull);
            // A removed channel keeps its deliveries in the alert log; one still queued then fails ("channel removed").
            outbox.HasOne<AlertChannel>().WithMany().HasForeignKey(o => o.ChannelId).OnDelete(DeleteBehavior.SetNull);
        });

        model.Entity<AlertChannel>(channel =>
        {
            channel.ToTable("alert_channels");
            channel.Property(c => c.Name).HasMaxLength(100);
            channel.Property(c => c.Kind).HasMaxLength(16);
            channel.Property(c => c.UrlDisplay).HasMaxLength(300);
            channel.Property(c => c.CreatedBy).HasMaxLength(256);
            channel.HasIndex(c => new { c.TeamId, c.Name }).IsUnique();
            channel.HasOne<Team>().WithMany().HasForeignKey(c => c.TeamId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<TlsRptReport>(report =>
        {
            report.ToTable("tlsrpt_reports");
            report.Property(r => r.OrganizationName).HasMaxLength(256);
            report.Property(r => r.ReportId).HasMaxLength(512);
            report.Property(r => r.ContactInfo).HasMaxLength(512);
            report.Property(r => r.Source).HasMaxLength(16);
            report.Property(r => r.SourceDetail).HasMaxLength(512);
            report.Property(r => r.ContentSha256).HasMaxLength(64);
            // Stored once whichever intake brought it (RFC 8460 §4.4: report-id is unique per organisation); the content
            // is part of the key so that a forged report with a real report's id cannot take its place.
            report.HasIndex(r => new { r.OrganizationName, r.ReportId, r.ContentSha256 }).IsUnique();
            report.HasIndex(r => r.ReceivedAt);
            report.HasMany(r => r.Policies).WithOne().HasForeignKey(p => p.ReportId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<TlsRptPolicy>(policy =>
        {
            policy.ToTable("tlsrpt_policies");
            policy.Property(p => p.OrganizationName).HasMaxLength(256);
            policy.Property(p => p.PolicyType).HasMaxLength(32);
            policy.Property(p => p.PolicyDomain).HasMaxLength(253);
            policy.Property(p => p.DomainName).HasMaxLength(253);
            // A domain's page and alerts read its days in one range.
            policy.HasIndex(p => new { p.DomainName, p.ReportDay });
            policy.HasIndex(p => p.ReportId);
            policy.HasMany(p => p.Failures).WithOne().HasForeignKey(f => f.PolicyId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<TlsRptFailure>(failure =>
        {
            failure.ToTable("tlsrpt_failures");
            failure.Property(f => f.ResultType).HasMaxLength(64);
            failure.Property(f => f.SendingMtaIp).HasMaxLength(64);
            failure.Property(f => f.ReceivingMxHostname).HasMaxLength(253);
            failure.Property(f => f.ReceivingMxHelo).HasMaxLength(253);
            failure.Property(f => f.ReceivingIp).HasMaxLength(64);
            failure.Property(f => f.AdditionalInformation).HasMaxLength(1024);
            failure.Property(f => f.FailureReasonCode).HasMaxLength(1024);
            failure.HasIndex(f => f.PolicyId);
        });

        model.Entity<TlsRptRejected>(rejected =>
        {
            rejected.ToTable("tlsrpt_rejected");
            rejected.Property(r => r.Source).HasMaxLength(16);
            rejected.Property(r => r.SourceDetail).HasMaxLength(512);
            rejected.Property(r => r.Reason).HasMaxLength(1024);
            rejected.Property(r => r.Sha256).HasMaxLength(64);
            rejected.HasIndex(r => r.Sha256).IsUnique();
            rejected.HasIndex(r => r.ReceivedAt);
        });

        model.Entity<TlsRptAlert>(alert =>
        {
            alert.ToTable("tlsrpt_alerts");
            alert.Property(a => a.Severity).HasMaxLength(16);
            alert.Property(a => a.Reasons).HasMaxLength(4000);
            // One mail per registration and report day, whichever node or run evaluates it.
            alert.HasIndex(a => new { a.DomainId, a.ReportDay }).IsUnique();
            alert.HasOne<MonitoredDomain>().WithMany().HasForeignKey(a => a.DomainId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<ChangePlan>(plan =>
        {
            plan.ToTable("change_plans");
            plan.Property(p => p.State).HasMaxLength(16);
            plan.Property(p => p.CreatedBy).HasMaxLength(256);
            plan.Property(p => p.OldMode).HasMaxLength(16);
            plan.Property(p => p.TargetMode).HasMaxLength(16);
            plan.Property(p => p.OldTxtId).HasMaxLength(32);
            plan.Property(p => p.CurrentTxtId).HasMaxLength(32);
            plan.Property(p => p.ProblemKey).HasMaxLength(64);
            // One active plan per domain, whichever node or request makes it; ended plans are history.
            plan.HasIndex(p => p.DomainId).IsUnique().HasFilter("state = 'active'").HasDatabaseName("ix_change_plans_one_active_per_domain");
            plan.HasIndex(p => new { p.DomainId, p.CreatedAt });
            plan.HasOne<MonitoredDomain>().WithMany().HasForeignKey(p => p.DomainId).OnDelete(DeleteBehavior.Cascade);
            plan.HasMany(p => p.Steps).WithOne().HasForeignKey(s => s.PlanId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<ChangePlanStep>(step =>
        {
            step.ToTable("change_plan_steps");
            step.HasKey(s => new { s.PlanId, s.N });
            step.Property(s => s.Action).HasMaxLength(32);
            step.Property(s => s.Status).HasMaxLength(16);
            step.Property(s => s.PolicyMode).HasMaxLength(16);
            step.Property(s => s.TxtId).HasMaxLength(32);
        });

        model.Entity<DeliveryAttempt>(attempt =>
        {
            attempt.ToTable("delivery_attempts");
            attempt.Property(a => a.Outcome).HasMaxLength(16);
            attempt.HasIndex(a => a.OutboxMessageId);
            attempt.HasOne<OutboxMessage>().WithMany().HasForeignKey(a => a.OutboxMessageId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
