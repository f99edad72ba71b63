using MonitorService.Storage.Entities;
using MonitorService.Tests.Infrastructure;
using Npgsql;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Tests.Monitoring;

/// <summary>
/// Most checks see nothing new. What they cost the database is the product's running cost at scale: such a check
/// must write one row version, the domain's, whatever the domain's state.
/// </summary>
[Collection(PostgresCollection.Name)]
public class UnchangedCheckWriteTests(PostgresFixture postgres)
{
    [Fact]
    public async Task An_unchanged_healthy_check_writes_only_the_domain_row()
    {
        await using var h = await MonitorHarness.StartAsync(postgres, "write_unchanged_healthy");
        var id = await h.AddDomainAsync();
        await h.CheckAsync(id);
        h.Clock.Advance(TimeSpan.FromHours(1));

        var written = await RowVersionsWrittenByAsync(h, () => h.CheckAsync(id));

        Assert.Equal(["domains"], written);
    }

    [Fact]
    public async Task An_unchanged_check_with_an_open_incident_writes_only_the_domain_row()
    {
        await using var h = await MonitorHarness.StartAsync(postgres, "write_unchanged_incident");
        var id = await h.AddDomainAsync();
        h.Env.Https.SetResponse(PolicyHost, PolicyResponse.Policy("enforce", 604800, Mx1)); // Mx2 not covered: an error incident
        var first = await h.CheckAsync(id);
        Assert.NotEmpty(first.Incidents.Opened);
        h.Clock.Advance(TimeSpan.FromHours(1));

        var written = await RowVersionsWrittenByAsync(h, () => h.CheckAsync(id));

        Assert.Equal(["domains"], written);
        await using var db = h.Db();
        Assert.Equal(DomainStatus.Error, db.Domains.Single().Status);
    }

    /// <summary>The tables of the row versions (inserted or updated rows) that <paramref name="action"/> left behind.</summary>
    private static async Task<List<string>> RowVersionsWrittenByAsync(MonitorHarness h, Func<Task> action)
    {
        var before = await RowVersionsAsync(h.ConnectionString);
        await action();
        var after = await RowVersionsAsync(h.ConnectionString);
        return after.Except(before).Select(v => v.Table).OrderBy(t => t).ToList();
    }

    /// <summary>Every row of the service's own tables (not Quartz's) as (table, ctid, xmin): an update changes both.</summary>
    private static async Task<HashSet<(string Table, string Version)>> RowVersionsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'qrtz%'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));
        var versions = new HashSet<(string, string)>();
        foreach (var table in tables)
        {
            await using var rows = new NpgsqlCommand($"SELECT ctid::text || '/' || xmin::text FROM \"{table}\"", connection);
            await using var reader = await rows.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                versions.Add((table, reader.GetString(0)));
        }
        return versions;
    }
}
