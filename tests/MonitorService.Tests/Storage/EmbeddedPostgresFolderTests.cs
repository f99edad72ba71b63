using MonitorService.Storage.Embedded;
using MonitorService.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MonitorService.Tests.Storage;

/// <summary>
/// Issue 11 item 10: the embedded cluster's folders are the service's alone (0700) and a symbolic link planted at
/// their paths is refused, never followed: as root, following one would hand its target to the postgres user.
/// </summary>
[Trait("Category", "Slow")]
public sealed class EmbeddedPostgresFolderTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Traversable = (UnixFileMode)0b111_101_101;

    private readonly TestLogger _logger;
    private readonly ClusterFolder _folder;
    private readonly string _elsewhere;

    public EmbeddedPostgresFolderTests(ITestOutputHelper output)
    {
        _logger = new TestLogger(output, nameof(EmbeddedPostgres));
        _folder = new ClusterFolder("monitor-embedded-folder-");
        // What a planted link points at: somebody else's folder, to be left exactly as it is.
        _elsewhere = Path.Combine(_folder.Root, "elsewhere");
        Directory.CreateDirectory(_elsewhere);
        File.SetUnixFileMode(_elsewhere, Traversable);
    }

    public void Dispose() => _folder.Dispose();

    private Task<EmbeddedPostgres> StartAsync() => _folder.StartAsync(_logger);

    [Fact]
    public async Task The_data_folder_is_created_for_its_owner_only()
    {
        await using var pg = await StartAsync();

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(pg.DataDirectory));
    }

    [Fact]
    public async Task A_symbolic_link_at_the_data_folder_path_is_refused_and_its_target_left_alone()
    {
        Directory.CreateSymbolicLink(_folder.DataDir, _elsewhere);

        var refused = await Assert.ThrowsAsync<EmbeddedPostgresException>(StartAsync);

        Assert.Contains("symbolic link", refused.Message, StringComparison.Ordinal);
        AssertUntouched();
    }

    [Fact]
    public async Task A_symbolic_link_at_the_socket_folder_path_is_refused_and_its_target_left_alone()
    {
        Directory.CreateSymbolicLink(_folder.DataDir + "-socket", _elsewhere);

        var refused = await Assert.ThrowsAsync<EmbeddedPostgresException>(StartAsync);

        Assert.Contains("symbolic link", refused.Message, StringComparison.Ordinal);
        AssertUntouched();
    }

    private void AssertUntouched()
    {
        Assert.Empty(Directory.EnumerateFileSystemEntries(_elsewhere));
        Assert.Equal(Traversable, File.GetUnixFileMode(_elsewhere));
        Assert.Equal(Environment.UserName, OwnerOf(_elsewhere));
    }

    private static string OwnerOf(string path)
    {
        var stat = OsProcess.RunAsync("stat", ["-c", "%U", path]).GetAwaiter().GetResult();
        return stat.Output;
    }
}
