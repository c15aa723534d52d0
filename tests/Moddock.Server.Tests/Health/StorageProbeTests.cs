using System.Text.Json;
using Moddock.Server.Health;
using Moddock.Server.Tests.Support;
using Moddock.Testing;

namespace Moddock.Server.Tests.Health;

public sealed class StorageProbeTests
{
    [Fact]
    public void CheckWritable_RenameRefused_ReportsTheProblemAndLeavesNoProbeFile()
    {
        // The temporary file is written, then its rename fails (the name is taken by a directory): every
        // failing /readyz used to leave its .readyz-*.tmp behind in the storage root.
        var root = TestEnvironment.NewTempDir("probe-rename");
        Directory.CreateDirectory(Path.Combine(root, ".readyz-taken", "child"));

        var problem = StorageProbe.CheckWritable(root, ".readyz-taken");

        Assert.False(string.IsNullOrEmpty(problem));
        Assert.Equal([Path.Combine(root, ".readyz-taken")], Directory.GetFileSystemEntries(root));
    }

    [Fact]
    public void CheckWritable_WritableRoot_NullAndNothingLeft()
    {
        var root = Path.Combine(TestEnvironment.NewTempDir("probe-ok"), "new");

        Assert.Null(StorageProbe.CheckWritable(root));
        Assert.Empty(Directory.GetFileSystemEntries(root));
    }

    [Fact]
    public async Task Readyz_Storage_ReportsFreeBytesBesideTheFieldsDoctorReads()
    {
        await using var server = await RunningServer.StartAsync();

        var r = await server.SendAsync("GET", "/readyz");

        using var json = JsonDocument.Parse(r.Body);
        var storage = json.RootElement.GetProperty("storage");
        Assert.Equal(server.Storage, storage.GetProperty("path").GetString());
        Assert.True(storage.GetProperty("writable").GetBoolean());
        Assert.Equal(JsonValueKind.Null, storage.GetProperty("problem").ValueKind);
        Assert.Equal(new DriveInfo(server.Storage).AvailableFreeSpace, storage.GetProperty("freeBytes").GetInt64(), (double)(64L << 20));
    }

    [Fact]
    public async Task Readyz_StorageIsAFile_FreeBytesNull()
    {
        var file = Path.Combine(TestEnvironment.NewTempDir("readyz-free"), "not-a-dir");
        await File.WriteAllTextAsync(file, "x");
        await using var server = await RunningServer.StartAsync(storage: file);

        var r = await server.SendAsync("GET", "/readyz");

        using var json = JsonDocument.Parse(r.Body);
        Assert.Equal(503, r.Status);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("storage").GetProperty("freeBytes").ValueKind);
    }
}
