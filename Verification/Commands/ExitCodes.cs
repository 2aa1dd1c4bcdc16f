namespace Verify.Verification.Commands;

/// <summary>The process exit codes, one meaning each.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The command ran and its check failed (--strict with a failing assumption, a regression drift).</summary>
    public const int CheckFailed = 1;
    /// <summary>Bad input: an option, a config value or a file the user supplied.</summary>
    public const int BadInput = 2;
    /// <summary>The work itself failed (for example a diverging training run).</summary>
    public const int RunFailed = 3;
    /// <summary>Interrupted by Ctrl-C: finished runs are kept; 128 + SIGINT, as shells report it.</summary>
    public const int Interrupted = Output.Interruption.SigIntExitCode;
    /// <summary>Stopped by SIGTERM (a scheduler's time limit, `kill`): finished runs are kept; 128 + SIGTERM.</summary>
    public const int Terminated = Output.Interruption.SigTermExitCode;
    /// <summary>
    /// Output the user asked for could not be written to standard output (a full disk, /dev/full, an I/O error):
    /// EX_IOERR of sysexits.h. A closed pipe or stream is not this: see <see cref="Output.SafeWriter"/>.
    /// </summary>
    public const int OutputFailed = 74;
    /// <summary>A bug in verify, please report it with the command line: an exception no input should cause (the test suite's bad-input corpus never reaches it).</summary>
    public const int Internal = 70;

    /// <summary>The code of a use case's ending: the one place the pipeline's endings become numbers.</summary>
    public static int Of(Output.Ending ending) => ending switch
    {
        Output.Ending.Done => Ok,
        Output.Ending.CheckFailed => CheckFailed,
        Output.Ending.RunFailed => RunFailed,
        Output.Ending.Interrupted => Interrupted,
        Output.Ending.Terminated => Terminated,
        _ => throw new ArgumentOutOfRangeException(nameof(ending), ending, null),
    };
}
