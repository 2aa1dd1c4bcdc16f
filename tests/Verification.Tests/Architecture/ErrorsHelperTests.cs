namespace Verify.Verification.Tests.Architecture;

/// <summary>The shared <see cref="Errors"/> assertion fails on each way the bad-input contract can be broken.</summary>
public class ErrorsHelperTests
{
    private const string Good = "--tasks = '0' is not allowed: must be an integer in [1, 10000]";

    [Test]
    public void It_accepts_a_message_naming_the_field_the_value_and_what_is_allowed()
    {
        Errors.Names(Good, "--tasks", "'0'", "[1, 10000]");
        Errors.Names(Good, "--tasks", "0");
        Errors.Names("seeds in e.json must be a number, found an empty list", "seeds", "empty list", "a number");
        Errors.Refuses(() => throw InvalidInputException.MustBe("seeds", "'0'", "an integer in [1, 100000]"), "seeds", "'0'", "[1, 100000]");
    }

    [TestCase(Good, "--time", "'0'", null, TestName = "the wrong field")]
    [TestCase(Good, "tasks-count", null, null, TestName = "a field only inside a longer name")]
    [TestCase(Good, "--tasks", "'1'", null, TestName = "the wrong value")]
    [TestCase(Good, "--tasks", "10", null, TestName = "a value only inside a longer number")]
    [TestCase("--tasks = '0' is wrong", "--tasks", "'0'", null, TestName = "no word of what is allowed")]
    [TestCase(Good, "--tasks", "'0'", "[1, 100]", TestName = "another range")]
    [TestCase("'0' for --tasks is not allowed", "--tasks", "'0'", null, TestName = "the value only before the field")]
    public void It_fails_on(string message, string field, string? value, string? allowed)
        => Assert.Throws<AssertionException>(() => Errors.Names(message, field, value, allowed));

    [Test]
    public void Refused_fails_on_another_exit_code_a_second_line_or_no_prefix()
    {
        Assert.Throws<AssertionException>(() => Errors.Refused(new CliRunner.Result(1, "", "error: " + Good + "\n"), "--tasks", "'0'"));
        Assert.Throws<AssertionException>(() => Errors.Refused(new CliRunner.Result(2, "", "error: " + Good + "\n   at X.Y()\n"), "--tasks", "'0'"));
        Assert.Throws<AssertionException>(() => Errors.Refused(new CliRunner.Result(2, "", Good + "\n"), "--tasks", "'0'"));
        Errors.Refused(new CliRunner.Result(2, "", "error: " + Good + "\n"), "--tasks", "'0'");
    }
}
