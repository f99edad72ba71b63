using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MonitorService.Cli;
using MonitorService.Hosting;
using MonitorService.Storage;
using MonitorService.Storage.Entities;
using MonitorService.TlsRpt;
using MonitorService.TlsRpt.Intake;
using MonitorService.Tests.Infrastructure;

namespace MonitorService.Tests.TlsRpt;

/// <summary>A migrated database with registered domains, and the intake as the service composes it.</summary>
internal sealed class TlsRptIntakeKit : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private TlsRptIntakeKit(string connectionString, ServiceProvider services)
    {
        ConnectionString = connectionString;
        _services = services;
    }

    public string ConnectionString { get; }
    public ITlsRptIntake Intake => _services.GetRequiredService<ITlsRptIntake>();
    public IServiceProvider Services => _services;

    public static async Task<TlsRptIntakeKit> StartAsync(PostgresFixture postgres, string hint, IReadOnlyDictionary<string, string?>? settings = null, params string[] domains)
    {
        var connectionString = await postgres.CreateDatabaseAsync(hint);
        var stderr = new StringWriter();
        Assert.Equal(0, await CommandLineApp.RunAsync(["migrate"], TextReader.Null, TextWriter.Null, stderr,
            new Dictionary<string, string?> { ["ConnectionStrings:Monitor"] = connectionString }, CancellationToken.None));
        await RegisterAsync(connectionString, "ops", domains);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddMonitorStorage(connectionString)
            .AddTlsRptIntake(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        return new TlsRptIntakeKit(connectionString, services);
    }

    /// <summary>Registers the names for a team (created when new) directly in the store.</summary>
    public static async Task RegisterAsync(string connectionString, string team, params string[] domains)
    {
        await using var db = MonitorDb.Create(connectionString);
        var owner = await db.Teams.FirstOrDefaultAsync(t => t.Name == team);
        if (owner is null)
        {
            owner = new Team { Id = Guid.NewGuid(), Name = team, CreatedAt = DateTimeOffset.UtcNow };
            db.Teams.Add(owner);
        }
        foreach (var name in domains)
            db.Domains.Add(new MonitoredDomain { Id = Guid.NewGuid(), TeamId = owner.Id, Name = name, IntervalSeconds = 3600, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    public MonitorDbContext Db() => MonitorDb.Create(ConnectionString);

    public static TlsRptOrigin Https => new(TlsRptSources.Https, "127.0.0.1");

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}
