using Microsoft.EntityFrameworkCore;

namespace MonitorService.Storage;

/// <summary>The one place that says how the context talks to PostgreSQL, for the service, the tools and the tests.</summary>
public static class MonitorDb
{
    public static DbContextOptionsBuilder<MonitorDbContext> Configure(DbContextOptionsBuilder<MonitorDbContext> builder, string connectionString) =>
        builder
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention();

    public static MonitorDbContext Create(string connectionString) =>
        new(Configure(new DbContextOptionsBuilder<MonitorDbContext>(), connectionString).Options);
}
