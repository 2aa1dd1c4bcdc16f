using Verify.Verification.Output;
using Verify.Verification.Experiments;

namespace Verify.Verification.Sweeps;

/// <summary>Runs a sweep with progress and Ctrl-C handling (cancel in-flight runs, keep finished ones).</summary>
internal static class Sweep
{
    public static SweepOutcome Execute(CliContext ctx, IReadOnlyList<PlannedRun> runs, ResultStore store, int jobs, string title)
    {
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            return new ProgressReporter(ctx).Run(title, report => SweepRunner.Run(runs, store, jobs, report, cts.Token));
        }
        finally { Console.CancelKeyPress -= onCancel; }
    }
}
