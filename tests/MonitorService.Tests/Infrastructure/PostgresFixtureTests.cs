using Npgsql;

namespace MonitorService.Tests.Infrastructure;

[Collection(PostgresCollection.Name)]
public sealed class PostgresFixtureTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Fixture_provides_a_working_database()
    {
        var cs = await fixture.CreateDatabaseAsync(nameof(PostgresFixtureTests));
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT version()", conn);
        var version = (string?)await cmd.ExecuteScalarAsync();
        Assert.StartsWith("PostgreSQL", version);
    }

    [Fact]
    public async Task Created_databases_are_isolated()
    {
        var first = await fixture.CreateDatabaseAsync("isolation");
        var second = await fixture.CreateDatabaseAsync("isolation");
        Assert.NotEqual(new NpgsqlConnectionStringBuilder(first).Database, new NpgsqlConnectionStringBuilder(second).Database);

        await using (var conn = new NpgsqlConnection(first))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("CREATE TABLE only_in_first (id int); INSERT INTO only_in_first VALUES (1);", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        await using (var conn = new NpgsqlConnection(second))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT to_regclass('public.only_in_first') IS NULL", conn);
            Assert.True((bool)(await cmd.ExecuteScalarAsync())!);
        }
    }
}
