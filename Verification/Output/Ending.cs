namespace Verify.Verification.Output;

/// <summary>
/// How a use case's work ended. The pipeline says this, never an exit code: <c>ExitCodes.Of</c> in the composition
/// root gives each ending its one code, so no stage refers to Commands.
/// </summary>
internal enum Ending
{
    Done,
    /// <summary>The work ran and what it checked did not hold (--strict with a failing assumption, a regression drift).</summary>
    CheckFailed,
    /// <summary>The work itself failed (a diverging training run).</summary>
    RunFailed,
    /// <summary>Stopped by Ctrl-C; finished work is kept.</summary>
    Interrupted,
    /// <summary>Stopped by SIGTERM (a scheduler's time limit); finished work is kept.</summary>
    Terminated,
}
