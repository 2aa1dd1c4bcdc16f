namespace Verify.Testing;

internal static partial class Errors
{
    /// <summary>
    /// The CLI's side of the bad-input contract: exit code <paramref name="exitCode"/> (2 for bad input), one line on
    /// stderr with the documented "error: " prefix, and that line names the field, the value and what is allowed
    /// (<see cref="Names(string, string, string?, string?)"/>).
    /// </summary>
    public static void Refused(Verify.Verification.Tests.CliRunner.Result r, string field, string? value = null, string? allowed = null, int exitCode = 2)
    {
        Assert.That(r.ExitCode, Is.EqualTo(exitCode), r.Out + r.Err);
        OneErrorLine(r.Err);
        Names(r.Err, field, value, allowed);
    }

    /// <summary>One line on stderr, starting "error: " (the documented prefix), no stack trace.</summary>
    public static void OneErrorLine(string err)
    {
        Assert.That(err, Does.StartWith("error: "), "the documented prefix");
        Assert.That(err.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line, no stack trace: " + err);
    }
}
