using Microsoft.EntityFrameworkCore;
using MonitorService.Migrations;
using MonitorService.Scheduling;
using MonitorService.Storage;
using MonitorService.Tests.Infrastructure;
using Npgsql;

namespace MonitorService.Tests.Scheduling;

[Collection(PostgresCollection.Name)]
public class QuartzMigrationTests(PostgresFixture postgres)
{
    [Fact]
    public void The_frozen_schema_is_the_one_the_pinned_quartz_ships()
    {
        using var stream = typeof(QuartzTables).Assembly.GetManifestResourceStream(QuartzTables.ScriptResource)!;
        var frozen = new StreamReader(stream).ReadToEnd();
        // Our file starts with three comment lines saying where it came from.
        var body = string.Join('\n', frozen.Split('\n').Skip(3));

        Assert.Equal(QuartzSchema.CreateScript.ReplaceLineEndings("\n").TrimEnd(), body.ReplaceLineEndings("\n").TrimEnd());
    }

    [Fact]
    public async Task Migrating_creates_the_quartz_tables_the_job_store_uses()
    {
        var connectionString = await postgres.CreateDatabaseAsync("quartz_migration");
        await using (var db = MonitorDb.Create(connectionString))
            await db.Database.MigrateAsync();

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'qrtz\\_%'", connection);
        Assert.Equal(15L, await command.ExecuteScalarAsync());
        Assert.False(await QuartzSchema.EnsureCreatedAsync(connectionString)); // nothing left to create
    }
}
