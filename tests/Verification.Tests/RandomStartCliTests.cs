namespace Verify.Verification.Tests;

/// <summary>A random training start in a reduced mode is a user error (exit 2, one line), not a crash.</summary>
public class RandomStartCliTests
{
    [TestCase("subspace", "--pgd-start", "random", "pgdStart = random")]
    [TestCase("rotation-invariant", "--pgd-restarts", "2", "pgdRestarts = 2")]
    public void Random_training_start_in_a_reduced_mode_is_bad_input(string mode, string option, string value, string setting)
    {
        var r = CliRunner.Run("train", "--n", "10", "--n-test", "20", "--d", "30", "--m", "20", "--iterations", "2",
            "--pgd-steps", "2", "--eval-pgd-steps", "2", "--alpha", "0.2", "--mode", mode, option, value);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
        var errors = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.That(errors, Has.Count.EqualTo(1), r.Err);
        Assert.That(errors[0], Does.StartWith("error: "));
        Errors.Names(errors[0], setting, mode, allowed: "naive or auto"); // the setting, the mode it is refused in, and the modes that take it
        Assert.That(r.Err, Does.Not.Contain(" at Verify.").And.Not.Contain("Exception").And.Not.Contain("internal error"), "no stack trace");
        Assert.That(r.Out, Is.Empty);
    }
}
