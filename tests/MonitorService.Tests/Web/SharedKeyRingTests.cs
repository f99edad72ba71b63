using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MonitorService.Hosting;
using MonitorService.Storage;
using MonitorService.Tests.Infrastructure;
using MonitorService.Web;

namespace MonitorService.Tests.Web;

[Collection(PostgresCollection.Name)]
public class SharedKeyRingTests(PostgresFixture postgres)
{
    [Fact]
    public async Task What_one_node_protects_another_node_on_the_same_database_can_read()
    {
        var connectionString = await postgres.CreateDatabaseAsync("keyring");
        await using (var db = MonitorDb.Create(connectionString))
            await db.Database.MigrateAsync();

        string Protect(ServiceProvider node) => node.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie").Protect("signed in as ops@example.test");
        await using var nodeA = Node(connectionString);
        await using var nodeB = Node(connectionString);
        var ticket = Protect(nodeA);

        Assert.Equal("signed in as ops@example.test", nodeB.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie").Unprotect(ticket));
        await using var check = MonitorDb.Create(connectionString);
        Assert.Equal(1, await check.DataProtectionKeys.CountAsync());
    }

    private static ServiceProvider Node(string connectionString) =>
        new ServiceCollection()
            .AddLogging()
            .AddMonitorStorage(connectionString)
            .AddMonitorDashboard()
            .BuildServiceProvider();
}
