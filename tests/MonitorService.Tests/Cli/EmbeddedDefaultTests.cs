using MonitorService.Cli;

namespace MonitorService.Tests.Cli;

/// <summary>The README's run command on a fresh machine: nothing configured, a private PostgreSQL is made and used.</summary>
[Trait("Category", "Slow")]
public class EmbeddedDefaultTests
{
    [Fact]
    public async Task Without_a_connection_string_a_private_database_is_created_migrated_kept_and_stopped()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"monitor-embedded-{Guid.NewGuid():N}");
        var settings = new Dictionary<string, string?> { ["Storage:EmbeddedDirectory"] = Path.Combine(folder, "postgres") };
        try
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            Assert.Equal(0, await CommandLineApp.RunAsync(["domains", "add", "example.test", "--team", "ops"], stdout, stderr, settings, CancellationToken.None));
            Assert.Contains("Added example.test", stdout.ToString(), StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(folder, "postgres", "PG_VERSION")), stderr.ToString());
            Assert.False(File.Exists(Path.Combine(folder, "postgres", "postmaster.pid")), "the private server is stopped with the command");

            var list = new StringWriter();
            Assert.Equal(0, await CommandLineApp.RunAsync(["domains", "list"], list, stderr, settings, CancellationToken.None));
            Assert.Contains("example.test", list.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
