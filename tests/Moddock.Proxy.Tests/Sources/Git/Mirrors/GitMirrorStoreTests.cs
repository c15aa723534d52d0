using Moddock.Proxy.Sources.Git;
using Moddock.Proxy.Sources.Git.Credentials;
using Moddock.Proxy.Sources.Git.Mirrors;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Sources.Git.Mirrors;

/// <summary>What a killed process left under the mirror root is swept when the store starts, once it is old enough.</summary>
public sealed class GitMirrorStoreTests
{
    [Fact]
    public void Constructor_OldAndFreshLeftovers_OnlyOldLeftoversRemoved()
    {
        var root = TestEnvironment.NewTempDir("mirror-sweep");
        var tmp = Directory.CreateDirectory(Path.Combine(root, "tmp")).FullName;
        var time = new ManualTimeProvider();
        var gitTimeout = TimeSpan.FromSeconds(30);
        var old = time.GetUtcNow().UtcDateTime - (GitMirrorStore.LeftoverAge(gitTimeout) + TimeSpan.FromMinutes(1));
        var fresh = time.GetUtcNow().UtcDateTime - TimeSpan.FromSeconds(5);
        var mirror = new string('a', 64);

        string Spool(DateTime at)
        {
            var f = Path.Combine(tmp, "archive-" + Guid.NewGuid().ToString("N") + ".tar");
            File.WriteAllBytes(f, new byte[1024]);
            File.SetLastWriteTimeUtc(f, at);
            return f;
        }

        string Init(DateTime at)
        {
            var d = Path.Combine(root, mirror + ".init-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(Path.Combine(d, "objects", "pack"));
            File.WriteAllText(Path.Combine(d, "HEAD"), "ref: refs/heads/main\n");
            Directory.SetLastWriteTimeUtc(d, at);
            return d;
        }

        var oldSpool = Spool(old);
        var freshSpool = Spool(fresh);
        var oldInit = Init(old);
        var freshInit = Init(fresh);
        // Old, but not leftovers: a mirror, its lock file, and files Moddock does not name that way.
        var mirrorDir = Directory.CreateDirectory(Path.Combine(root, mirror, "objects")).Parent!.FullName;
        Directory.SetLastWriteTimeUtc(mirrorDir, old);
        var lockFile = Path.Combine(root, mirror + ".lock");
        File.WriteAllText(lockFile, "");
        File.SetLastWriteTimeUtc(lockFile, old);
        var stranger = Path.Combine(tmp, "archive-notours.tar");
        File.WriteAllText(stranger, "");
        File.SetLastWriteTimeUtc(stranger, old);

        var git = new GitRunner(2, gitTimeout, null, new SecretRedactorSource(() => SecretRedactor.None));
        using var store = new GitMirrorStore(root, git, new CredentialSet([], [], _ => null), time);

        Assert.False(File.Exists(oldSpool));
        Assert.False(Directory.Exists(oldInit));
        Assert.True(File.Exists(freshSpool));
        Assert.True(Directory.Exists(freshInit));
        Assert.True(Directory.Exists(mirrorDir));
        Assert.True(File.Exists(lockFile));
        Assert.True(File.Exists(stranger));
    }

    [Fact]
    public void Constructor_NoStorageYet_CreatesNothing()
    {
        var root = Path.Combine(TestEnvironment.NewTempDir("mirror-sweep-none"), "vcs");
        var git = new GitRunner(2, TimeSpan.FromSeconds(30), null, new SecretRedactorSource(() => SecretRedactor.None));

        using var store = new GitMirrorStore(root, git, new CredentialSet([], [], _ => null), new ManualTimeProvider());

        Assert.False(Directory.Exists(root));
    }
}
