using Verify.Simulation.Runs;
using System.CommandLine;
using Spectre.Console;
using Verify.Verification.Output;
using Verify.Verification.Experiments;
using Verify.Verification.Sweeps;
using Verify.Verification.Regression;

namespace Verify.Verification.Commands;

/// <summary>`verify regress`: rerun a stored experiment from scratch and compare with its baseline.</summary>
internal static class RegressCommand
{
    public static Command Create(CliContext ctx)
    {
        var file = new Argument<string>("baseline") { Description = "baseline JSON written by `verify baseline`" };
        var sample = OptionFactory.Integer("--sample", "rerun only k cells, chosen deterministically (0 = all)", 0, "an integer ≥ 0");
        var jobs = OptionFactory.Integer("--jobs", "runs in parallel [default: number of cores]", Environment.ProcessorCount, "an integer ≥ 1");
        var all = OptionFactory.Flag("--all-rows", "list every compared metric, not only the ones outside tolerance");
        var cmd = new Command("regress", "Rerun a stored experiment from scratch and compare with its baseline; exit code 1 on any drift beyond tolerance.") { file, sample, jobs, all, OptionFactory.Blas() };
        cmd.SetAction(p =>
        {
            int k = p.GetValue(sample);
            if (k < 0) throw InvalidInputException.MustBe("--sample", $"{k}", "an integer ≥ 0");
            int jobCount = p.GetValue(jobs);
            if (jobCount < 1) throw InvalidInputException.MustBe("--jobs", jobCount.ToString(System.Globalization.CultureInfo.InvariantCulture), "an integer ≥ 1");
            var baseline = Baseline.Load(p.GetValue(file)!);
            var runs = Select(baseline, k);
            var plan = runs.Select(ToPlanned).ToList();

            // A fresh folder: a regression rerun must compute, never reuse.
            string tmp = Path.Combine(Path.GetTempPath(), $"verify-regress-{Environment.ProcessId}-{Guid.NewGuid():N}");
            try
            {
                var store = new ResultStore(tmp);
                var outcome = Sweep.Execute(ctx, plan, store, jobCount, $"regress {baseline.Name}");
                if (outcome.Interrupted) { ctx.Error.WriteLine("interrupted"); return outcome.ExitCode; }
                var diffs = new List<MetricDiff>();
                foreach (var (b, planned) in runs.Zip(plan))
                {
                    // Computed just now into a folder of its own: a rerun without a valid record is a bug, said as one.
                    var rerun = store.Lookup(planned);
                    var record = rerun.Record ?? throw new InvalidOperationException($"the rerun of baseline run {b.Id} left no valid result ({rerun.Problem ?? "no file"})");
                    diffs.AddRange(RegressionCheck.Compare(b, record, baseline.Tolerances, b.Settings.CellKey));
                }
                RegressionTable.Render(ctx.Console, baseline, diffs, runs.Count, p.GetValue(all));
                return diffs.All(d => d.Within) ? ExitCodes.Ok : ExitCodes.CheckFailed;
            }
            finally
            {
                if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
            }
        });
        return cmd;
    }

    /// <summary>All runs, or every run of k cells picked by a fixed hash order (the same k cells every time).</summary>
    private static List<BaselineRun> Select(Baseline b, int k)
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
