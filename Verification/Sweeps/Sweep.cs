using Verify.Verification.Output;
using Verify.Verification.Experiments;

namespace Verify.Verification.Sweeps;

/// <summary>
/// Runs a sweep with progress and interruption handling (Ctrl-C or SIGTERM cancel the runs in flight and
/// keep the finished ones). The results folder is checked before the first run is computed.
/// </summary>
internal static class Sweep
{
    /// <summary>--jobs, refused below 1.</summary>
    public static int CheckJobs(int jobs) =>
        jobs >= 1 ? jobs : throw InvalidInputException.MustBe("--jobs", $"{jobs}", "an integer ≥ 1");

    public static SweepOutcome Execute(CliContext ctx, IReadOnlyList<PlannedRun> runs, ResultStore store, int jobs, string title)
    {
        store.CheckWritable("--results");
        using var interruption = new Interruption();
        var outcome = new ProgressReporter(ctx).Run(title, report => SweepRunner.Run(runs, store, jobs, report, interruption.Token), o => o.Interrupted);
        foreach (var file in outcome.Unusable ?? []) ctx.Error.WriteLine($"warning: {Simulation.Files.InputFile.Printable(file.Path)}: {file.Problem}; the run is recomputed");
        if (outcome.Unreadable > 0)
            ctx.Error.WriteLine($"{outcome.Unreadable} result file(s) in {store.RunsDirectory} were unreadable (corrupt, invalid, another version or other settings) and were recomputed");
        return outcome with { ExitCode = outcome.Interrupted ? Math.Max(interruption.ExitCode, Interruption.SigIntExitCode) : 0 };
    }
}
