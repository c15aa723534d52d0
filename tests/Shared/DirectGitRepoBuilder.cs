using System.Globalization;

namespace Moddock.Testing;

/// <summary>
/// Builds a git repository for a test, with fixed author and committer dates (one hour apart per
/// commit) so that pseudo-versions are reproducible.
/// </summary>
internal sealed class DirectGitRepoBuilder
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private int _commits;

    public DirectGitRepoBuilder(string directory, int dayOffset = 0)
    {
        Dir = directory;
        _base = Epoch.AddDays(dayOffset);
        Directory.CreateDirectory(directory);
        Git("init", "-q", "-b", "main");
        Git("config", "core.autocrlf", "false");
        Git("config", "commit.gpgsign", "false");
        Git("config", "tag.gpgsign", "false");
    }

    private readonly DateTimeOffset _base;

    public string Dir { get; }

    public DirectGitRepoBuilder Write(string path, string content)
    {
        var full = Path.Combine(Dir, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    public DirectGitRepoBuilder WriteBytes(string path, byte[] content)
    {
        var full = Path.Combine(Dir, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return this;
    }

    public DirectGitRepoBuilder Symlink(string path, string target)
    {
        var full = Path.Combine(Dir, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.CreateSymbolicLink(full, target);
        return this;
    }

    /// <summary>
    /// The files whose zip rules are easy to get wrong, for the module at the repository root: upper-case
    /// names, vendor/ (top level and nested), a nested module, .gitattributes (export-ignore, eol=crlf text,
    /// binary), CRLF-converted text, bytes, and symlinks (one pointing outside the tree).
    /// </summary>
    public DirectGitRepoBuilder WriteZipEdgeCases(string module, string package) =>
        Write("Upper/README.MD", "Upper-case names survive\n")
            .Write("UPPER.go", $"package {package}\n")
            .Write("vendor/modules.txt", "# vendored\n")
            .Write("vendor/example.org/dep/dep.go", "package dep\n")
            .Write("inner/vendor/x.go", "package x\n")
            .Write("nested/go.mod", $"module {module}/nested\n")
            .Write("nested/n.go", "package nested\n")
            .Write(".gitattributes", "ignored.txt export-ignore\ncrlf.txt text eol=crlf\n*.bin binary\n")
            .Write("ignored.txt", "export-ignore is disabled by cmd/go\n")
            .Write("crlf.txt", "line one\nline two\n")
            .WriteBytes("data.bin", [0, 1, 2, 13, 10, 255])
            .Symlink("link.go", "a.go")
            .Symlink("escape", "../../../../etc/passwd");

    public DirectGitRepoBuilder Delete(string path)
    {
        Git("rm", "-q", "-r", "--", path);
        return this;
    }

    /// <summary>Commits everything; returns the full hash.</summary>
    public string Commit(string message)
    {
        _commits++;
        Git("add", "-A");
        Git("commit", "-q", "--allow-empty", "-m", message);
        return Head();
    }

    public string Head() => Git("rev-parse", "HEAD").Trim();

    public DateTimeOffset TimeOf(int commitNumber) => _base.AddHours(commitNumber);

    public DirectGitRepoBuilder Tag(string name, string? rev = null)
    {
        Git(rev is null ? ["tag", name] : ["tag", name, rev]);
        return this;
    }

    public DirectGitRepoBuilder AnnotatedTag(string name, string? rev = null)
    {
        Git(rev is null ? ["tag", "-a", "-m", "release " + name, name] : ["tag", "-a", "-m", "release " + name, name, rev]);
        return this;
    }

    public DirectGitRepoBuilder Checkout(string branch, bool create = false)
    {
        Git(create ? ["checkout", "-q", "-b", branch] : ["checkout", "-q", branch]);
        return this;
    }

    public string Git(params string[] args)
    {
        var when = _base.AddHours(_commits).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var env = new Dictionary<string, string?>
        {
            ["GIT_AUTHOR_NAME"] = "Moddock Test",
            ["GIT_AUTHOR_EMAIL"] = "test@moddock.invalid",
            ["GIT_COMMITTER_NAME"] = "Moddock Test",
            ["GIT_COMMITTER_EMAIL"] = "test@moddock.invalid",
            ["GIT_AUTHOR_DATE"] = when,
            ["GIT_COMMITTER_DATE"] = when,
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        };
        var r = ProcessRunner.Run("git", args, Dir, env, timeout: TimeSpan.FromSeconds(60));
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed in {Dir}: {r.StdErr}");
        }

        return r.StdOut;
    }
}
