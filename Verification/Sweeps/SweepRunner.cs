using Verify.Simulation.Settings;
using System.Diagnostics;
using Verify.Simulation.Kernels;
using Verify.Simulation.Runs;
using Verify.Verification.Downloads;
using Verify.Verification.Experiments;
using Verify.Verification.Results;
using Verify.Verification.Text;

namespace Verify.Verification.Sweeps;

/// <param name="Unreadable">Result files that were there but could not be used (corrupt, another version, other settings): recomputed.</param>
/// <param name="Outdated">Stored runs written before certification existed: recomputed, so that every robust error has its upper end.</param>
/// <param name="Unusable">The files behind <paramref name="Unreadable"/>, each with its first problem (for one warning per file).</param>
/// <param name="ExitCode">When interrupted, the shell's code for the signal (130 Ctrl-C, 143 SIGTERM).</param>
internal sealed record SweepOutcome(int Planned, int Reused, int Computed, int Diverged, double ComputeSeconds, double WallSeconds, bool Interrupted, int Unreadable = 0,
    int ExitCode = 0, int Outdated = 0, IReadOnlyList<StoredRun>? Unusable = null)
{
    public int Finished => Reused + Computed;
}

/// <summary>
/// Runs the planned runs that have no result yet, <c>jobs</c> at a time, each saved atomically as it
/// finishes: an interrupted sweep (Ctrl-C, kill -9) loses at most the runs in flight and resumes by
/// being run again.
/// </summary>
internal static class SweepRunner
{
    public static SweepOutcome Run(IReadOnlyList<PlannedRun> runs, ResultStore store, int jobs, Action<double, double, string> progress, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var found = runs.Select(r => (Run: r, Stored: store.Lookup(r))).ToList();
        var todo = found.Where(f => f.Stored.Record is null || f.Stored.Outdated).Select(f => f.Run).ToList();
        var unusable = found.Where(f => f.Stored.Unusable).Select(f => f.Stored).ToList();
        int unreadable = unusable.Count;
        int outdated = found.Count(f => f.Stored.Outdated);
        // Before any work: the data the runs need is there, and each run fits beside the others.
        MnistLocator.Check(todo.Select(r => r.Spec));
        foreach (var cell in todo.GroupBy(r => r.CellKey)) Resources.Check(cell.First().Spec, Resources.AvailableBytes, Math.Min(jobs, todo.Count));
        int reused = runs.Count - todo.Count, computed = 0, diverged = 0;
        double compute = 0;
        object gate = new();
        ConfigureBlasThreads(jobs);
        var env = EnvironmentInfo.Current(Backend.Describe(Backend.Default));
        progress(reused, runs.Count, todo.Count == 0 ? "all runs already done"
            : $"{reused} reused" + (unreadable > 0 ? $", {unreadable} unreadable result file(s) to recompute" : "")
              + (outdated > 0 ? $", {outdated} stored run(s) without the certified robust error to recompute (`verify report --no-run` reports them as they are)" : ""));

        bool interrupted = false;
        try
        {
            Parallel.ForEach(todo, new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = cancel }, run =>
            {
                var result = Simulator.Run(run.Spec, cancel: cancel);
                Save(store, run, RunRecord.From(result, run.Settings, env));
                lock (gate)
                {
                    computed++;
                    if (result.Diverged) diverged++;
                    compute += result.Timings.TotalSeconds;
                    progress(reused + computed, runs.Count, $"last: {Describe(run)} in {Text.Fmt.Duration(result.Timings.TotalSeconds)}");
                }
            });
        }
        catch (OperationCanceledException) { interrupted = true; }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OperationCanceledException)) { interrupted = true; }
        return new SweepOutcome(runs.Count, reused, computed, diverged, compute, clock.Elapsed.TotalSeconds, interrupted, unreadable, Outdated: outdated, Unusable: unusable);
    }

    /// <summary>
    /// A run's result into the store; a store that cannot take it (a full disk, a folder made read-only or removed
    /// meanwhile) ends the sweep as a failed run, exit 3. No new run starts after it; runs in flight finish and are
    /// saved when they can be; every file saved before stays as it is (each was written whole, atomically).
    /// </summary>
    private static void Save(ResultStore store, PlannedRun run, RunRecord record)
    {
        try { store.Save(run, record); }
        catch (InvalidInputException ex)
        {
            throw new RunFailedException($"run {run.Id} finished but its result could not be saved: {ex.Message}. " +
                $"Every result saved before is kept in {store.RunsDirectory}: make room (or fix the folder) and run the same command again to resume", ex);
        }
    }

    /// <summary>
    /// Independent runs in parallel, BLAS threads split between them so that the cores are busy but
    /// not oversubscribed (one BLAS thread per job when there are as many jobs as cores).
    /// </summary>
    public static void ConfigureBlasThreads(int jobs)
    {
        Backend.Threads = Math.Max(1, Environment.ProcessorCount / Math.Max(1, jobs));
    }

    private static string Describe(PlannedRun run)
    {
        var s = run.Settings;
        var parts = new Setting[] { Keys.D, Keys.Mu, Keys.Alpha, Keys.AlphaOverMu, Keys.Resolution, Keys.Normalization }.Where(s.Has).Select(k => $"{k.Name}={s.TextOf(k)}");
        return string.Join(" ", parts) + $" #{run.Replicate}";
    }
}
