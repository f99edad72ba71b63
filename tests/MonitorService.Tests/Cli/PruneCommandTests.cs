using Microsoft.EntityFrameworkCore;
using MonitorService.Cli;
using MonitorService.Storage;
using MonitorService.Storage.Entities;
using MonitorService.Tests.Infrastructure;

namespace MonitorService.Tests.Cli;

[Collection(PostgresCollection.Name)]
public class PruneCommandTests(PostgresFixture postgres)
{
    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(Dictionary<string, string?> settings, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CommandLineApp.RunAsync(args, stdout, stderr, settings, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Prune_deletes_what_is_older_than_the_retention_now_and_refuses_a_retention_below_the_minimum()
    {
        var cs = await postgres.CreateDatabaseAsync("cli_prune");
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Monitor"] = cs };
        Assert.Equal(0, (await RunAsync(settings, "migrate")).Exit);
        var now = DateTimeOffset.UtcNow;
        await using (var db = MonitorDb.Create(cs))
        {
            db.Outbox.AddRange(Sent(now - TimeSpan.FromDays(401)), Sent(now - TimeSpan.FromDays(399)));
            await db.SaveChangesAsync();
        }

        var tooShort = await RunAsync(new(settings) { ["Retention:Days"] = "7" }, "prune");
        Assert.Equal(ExitCodes.Config, tooShort.Exit);
        Assert.Contains("Retention:Days", tooShort.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, (await RunAsync(settings, "prune", "--everything")).Exit);
        await using (var db = MonitorDb.Create(cs))
            Assert.Equal(2, await db.Outbox.CountAsync());

        var run = await RunAsync(settings, "prune");

        Assert.Equal(0, run.Exit);
        Assert.Contains("1 mails", run.Stdout, StringComparison.Ordinal);
        await using (var db = MonitorDb.Create(cs))
            Assert.Equal(now - TimeSpan.FromDays(399), (await db.Outbox.SingleAsync()).SentAt!.Value, TimeSpan.FromMilliseconds(1));
    }

    private static OutboxMessage Sent(DateTimeOffset at) => new()
    {
        Id = Guid.NewGuid(), Kind = OutboxKinds.Digest, MessageId = $"{Guid.NewGuid():N}@test", Subject = "digest", Mime = "Subject: d\r\n\r\nd\r\n",
        Status = OutboxStatus.Sent, CreatedAt = at, NextAttemptAt = at, SentAt = at, Recipients = ["ops@example.test"],
    };
}
