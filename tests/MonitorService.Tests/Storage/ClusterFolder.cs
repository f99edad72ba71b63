using MonitorService.Storage.Embedded;
using MonitorService.Tests.Infrastructure;

namespace MonitorService.Tests.Storage;

/// <summary>
/// A temporary folder for one test class's embedded clusters (Root), with the data folder path inside it (DataDir),
/// deleted afterwards. As root the postgres user must be able to traverse it, so it is made 0755
/// (CreateTempSubdirectory makes it 0700).
/// </summary>
internal sealed class ClusterFolder : IDisposable
{
    public ClusterFolder(string prefix)
    {
        Root = Directory.CreateTempSubdirectory(prefix).FullName;
        File.SetUnixFileMode(Root, (UnixFileMode)0b111_101_101);
        DataDir = Path.Combine(Root, "postgres");
    }

    public string Root { get; }
    public string DataDir { get; }

    public Task<EmbeddedPostgres> StartAsync(TestLogger logger) =>
        EmbeddedPostgres.StartAsync(DataDir, PostgresFixture.ForTests, logger, CancellationToken.None);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A cluster still shutting down may hold a file for a moment; the temp folder is cleaned up later anyway.
        }
    }
}
