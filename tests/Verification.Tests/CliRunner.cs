using Verify.Verification.Commands;

namespace Verify.Verification.Tests;

/// <summary>Runs the real `verify` entry point in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Err);

    public static Result Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = VerifyCli.Run(args, o, e);
        return new Result(code, o.ToString(), e.ToString());
    }
}
