using Verify.Simulation.Runs;
using Verify.Verification.Experiments;
using Verify.Verification.Output;
using Verify.Verification.Sweeps;

namespace Verify.Verification.Regression;

/// <summary>What `verify regress` was asked, as given.</summary>
/// <param name="BaselineFile">The baseline written by `verify baseline`.</param>
/// <param name="Sample">Rerun only this many cells (--sample; 0 = all), checked here.</param>
/// <param name="Jobs">Runs in parallel (--jobs), checked here.</param>
/// <param name="AllRows">List every comparison, not only those outside tolerance (--all-rows).</param>
internal sealed record RegressRequest(string BaselineFile, int Sample, int Jobs, bool AllRows);

/// <summary>
/// `verify regress`: rerun a baseline's runs (or a sample of its cells) from scratch, in a fresh temporary folder, and
/// compare each with the baseline (<see cref="RegressionCheck"/>); a drift beyond tolerance is a failed check.
/// </summary>
internal static class RegressionRun
{
    public static Ending Execute(RegressRequest r, CliContext ctx)
    {
        if (r.Sample < 0) throw InvalidInputException.MustBe("--sample", $"{r.Sample}", "an integer ≥ 0");
        if (r.Jobs < 1) throw InvalidInputException.MustBe("--jobs", r.Jobs.ToString(System.Globalization.CultureInfo.InvariantCulture), "an integer ≥ 1");
        var baseline = Baseline.Load(r.BaselineFile);
        var runs = Sampled(baseline, r.Sample);
        var plan = runs.Select(ToPlanned).ToList();

        // A fresh folder: a regression rerun must compute, never reuse.
        string tmp = Path.Combine(Path.GetTempPath(), $"verify-regress-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var store = new ResultStore(tmp);
            var outcome = Sweep.Execute(ctx, plan, store, r.Jobs, $"regress {baseline.Name}");
            if (outcome.Interrupted) { ctx.Error.WriteLine("interrupted"); return Interruption.EndingOf(outcome.ExitCode); }
            var diffs = new List<MetricDiff>();
            foreach (var (b, planned) in runs.Zip(plan))
            {
                // Computed just now into a folder of its own: a rerun without a valid record is a bug, said as one.
                var rerun = store.Lookup(planned);
                var record = rerun.Record ?? throw new InvalidOperationException($"the rerun of baseline run {b.Id} left no valid result ({rerun.Problem ?? "no file"})");
                diffs.AddRange(RegressionCheck.Compare(b, record, baseline.Tolerances, b.Settings.CellKey));
            }
            RegressionTable.Render(ctx.Console, baseline, diffs, runs.Count, r.AllRows);
            return diffs.All(d => d.Within) ? Ending.Done : Ending.CheckFailed;
        }
        finally
        {
            if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        }
    }

    /// <summary>All runs (k = 0), or every run of k cells picked by a fixed hash order (the same k cells every time).</summary>
    internal static List<BaselineRun> Sampled(Baseline b, int k)
    {
        if (k == 0) return b.Runs.ToList();
        var cells = b.Runs.GroupBy(r => r.Settings.CellKey).OrderBy(g => ExperimentPlan.Hash64(g.Key)).Take(k).Select(g => g.Key).ToHashSet();
        return b.Runs.Where(r => cells.Contains(r.Settings.CellKey)).ToList();
    }

    private static PlannedRun ToPlanned(BaselineRun r)
    {
        RunSpec spec;
        try { spec = r.Settings.ToSpec().Validate(); }
        catch (InvalidInputException ex) { throw new InvalidInputException($"{ex.Message} (baseline run {r.Id})"); }
        return new PlannedRun(r.Id, r.Settings.CellKey, r.Settings, spec, 0, spec.Seed);
    }
}
