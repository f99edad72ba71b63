using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MonitorService.Storage;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service (no database needed).</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<MonitorDbContext>
{
    public MonitorDbContext CreateDbContext(string[] args) =>
        new(MonitorDb.Configure(new DbContextOptionsBuilder<MonitorDbContext>(), "Host=localhost;Database=monitor").Options);
}
