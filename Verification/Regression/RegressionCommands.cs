using System.CommandLine;
using Spectre.Console;
using Verify.Simulation.Kernels;
using Verify.Verification.Cli;
using Verify.Verification.Experiments;
using Verify.Verification.Results;
using Verify.Verification.Settings;
using Verify.Verification.Sweeps;

namespace Verify.Verification.Regression;

/// <summary>`verify baseline` stores an experiment's results with tolerances; `verify regress` reruns and diffs them.</summary>
public static class RegressionCommands
{
    public static Command CreateBaseline(CliContext ctx)
    {
        var config = new Argument<string>("config") { Description = "experiment JSON file" };
        var output = new Option<string>("--out") { Description = "baseline file to write [default: baselines/<experiment name>.json]" };
        var opts = new ExperimentOptions();
        var cmd = new Command("baseline", "Run (or reuse) an experiment and store its results as a regression baseline.") { config, output };
        opts.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var exp = opts.Load(p, p.GetValue(config)!);
            var plan = ExperimentPlan.Expand(exp);
            var store = opts.Store(p, exp);
            var outcome = Sweep.Execute(ctx, plan, store, opts.JobCount(p), exp.Name);
            if (outcome.Interrupted) { ctx.Error.WriteLine("interrupted: no baseline written"); return ExitCodes.Interrupted; }
            var runs = plan.Select(r => (r, rec: store.TryLoad(r)!))
                .Select(t => new BaselineRun(t.r.Id, t.r.Settings, t.rec.Metrics, t.rec.Divergence, t.rec.Curve.RobustLoss.LastOrDefault()))
                .ToList();
            var first = store.TryLoad(plan[0])!;
            var baseline = new Baseline(Baseline.CurrentSchema, exp.Name, exp.AsRunJson, DateTimeOffset.UtcNow, first.Provenance.Version,
                first.Provenance.Environment, new RegressionTolerances(), runs);
            string path = p.GetValue(output) ?? Path.Combine("baselines", exp.Name + ".json");
            AtomicFile.WriteAllText(path, Json.Write(baseline));
            ctx.Out.WriteLine($"baseline of {runs.Count} runs written to {Path.GetFullPath(path)}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    public static Command CreateRegress(CliContext ctx)
    {
        var file = new Argument<string>("baseline") { Description = "baseline JSON written by `verify baseline`" };
        var sample = OptionFactory.Integer("--sample", "rerun only k cells, chosen deterministically (0 = all)", 0, "an integer ≥ 0");
        var jobs = OptionFactory.Integer("--jobs", "runs in parallel [default: number of cores]", Environment.ProcessorCount, "an integer ≥ 1");
        var all = OptionFactory.Flag("--all-rows", "list every compared metric, not only the ones outside tolerance");
        var cmd = new Command("regress", "Rerun a stored experiment from scratch and compare with its baseline; exit code 1 on any drift beyond tolerance.") { file, sample, jobs, all };
        cmd.SetAction(p =>
        {
            var baseline = Load(p.GetValue(file)!);
            int k = p.GetValue(sample);
            if (k < 0) throw new InvalidInputException($"--sample = {k} is not allowed: must be an integer ≥ 0");
            var runs = Select(baseline, k);
            var plan = runs.Select(ToPlanned).ToList();

            // A fresh folder: a regression rerun must compute, never reuse.
            string tmp = Path.Combine(Path.GetTempPath(), $"verify-regress-{Environment.ProcessId}-{Guid.NewGuid():N}");
            try
            {
                var store = new ResultStore(tmp);
                var outcome = Sweep.Execute(ctx, plan, store, Math.Max(1, p.GetValue(jobs)), $"regress {baseline.Name}");
                if (outcome.Interrupted) { ctx.Error.WriteLine("interrupted"); return ExitCodes.Interrupted; }
                var diffs = new List<MetricDiff>();
                foreach (var (b, planned) in runs.Zip(plan))
                    diffs.AddRange(RegressionCheck.Compare(b, store.TryLoad(planned)!, baseline.Tolerances, Cell(b.Settings)));
                Render(ctx.Console, baseline, diffs, runs.Count, p.GetValue(all));
                return diffs.All(d => d.Within) ? ExitCodes.Ok : ExitCodes.CheckFailed;
            }
            finally
            {
                if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
            }
        });
        return cmd;
    }

    public static Baseline Load(string path)
    {
        if (!File.Exists(path)) throw new InvalidInputException($"baseline file '{path}' not found");
        Baseline b;
        try { b = Json.Read<Baseline>(File.ReadAllText(path)); }
        catch (System.Text.Json.JsonException ex) { throw new InvalidInputException($"baseline file '{path}' is not a valid baseline: {ex.Message}"); }
        if (b.Schema != Baseline.CurrentSchema) throw new InvalidInputException($"baseline file '{path}' has schema '{b.Schema}', expected '{Baseline.CurrentSchema}'");
        if (b.Runs is null || b.Runs.Count == 0) throw new InvalidInputException($"baseline file '{path}' has no runs");
        return b;
    }

    /// <summary>All runs, or every run of k cells picked by a fixed hash order (the same k cells every time).</summary>
    private static List<BaselineRun> Select(Baseline b, int k)
    {
        if (k == 0) return b.Runs.ToList();
        var cells = b.Runs.GroupBy(r => Cell(r.Settings)).OrderBy(g => ExperimentPlan.Hash64(g.Key)).Take(k).Select(g => g.Key).ToHashSet();
        return b.Runs.Where(r => cells.Contains(Cell(r.Settings))).ToList();
    }

    private static PlannedRun ToPlanned(BaselineRun r)
    {
        var validated = RunSettings.Validate(r.Settings, $"baseline run {r.Id}");
        var spec = RunSettings.ToSpec(validated, MnistSettings.Source);
        var cell = new SortedDictionary<string, string>(r.Settings.Where(kv => kv.Key != "seed").ToDictionary(), StringComparer.Ordinal);
        return new PlannedRun(r.Id, ExperimentPlan.CellKey(cell), r.Settings, spec, 0, spec.Seed);
    }

    private static string Cell(IReadOnlyDictionary<string, string> s)
        => ExperimentPlan.CellKey(s.Where(kv => kv.Key != "seed").ToDictionary());

    private static void Render(IAnsiConsole console, Baseline b, List<MetricDiff> diffs, int runs, bool allRows)
    {
        console.MarkupLine($"[bold]verify regress[/] {Markup.Escape(b.Name)}: {runs} runs rerun; baseline from {b.Created:yyyy-MM-dd} (verify {Markup.Escape(b.Version)}, {Markup.Escape(b.Environment.Blas)}), now verify {Markup.Escape(Simulation.Runs.Simulator.Version)}, {Markup.Escape(Backend.Describe(Backend.Default))}");
        var summary = new Table().Border(TableBorder.Rounded).Title("Per metric");
        summary.AddColumns("metric", "tolerance", "compared", "outside", "largest deviation");
        foreach (var g in diffs.GroupBy(d => d.Metric))
        {
            int outside = g.Count(d => !d.Within);
            double worst = g.Max(d => Math.Abs(d.Rerun - d.Baseline));
            summary.AddRow(g.Key, Markup.Escape(g.First().Allowed.Split(' ')[0].StartsWith('[') ? "within the baseline's 95% Wilson interval" : g.First().Allowed),
                g.Count().ToString(), outside == 0 ? "[green]0[/]" : $"[red]{outside}[/]", Fmt.Num(worst));
        }
        console.Write(summary);
        var rows = diffs.Where(d => allRows || !d.Within).ToList();
        if (rows.Count > 0)
        {
            var t = new Table().Border(TableBorder.Rounded).Title(allRows ? "All comparisons" : "Outside tolerance");
            t.AddColumns("run", "cell", "metric", "baseline", "rerun", "allowed", "status");
            foreach (var d in rows)
                t.AddRow(d.RunId, Markup.Escape(Abbreviate(d.Cell)), d.Metric, Fmt.Num(d.Baseline, 8), Fmt.Num(d.Rerun, 8), Markup.Escape(d.Allowed),
                    d.Within ? "[green]ok[/]" : "[red]DRIFT[/]");
            console.Write(t);
        }
        int bad = diffs.Count(d => !d.Within);
        console.MarkupLine(bad == 0 ? $"[green]All {diffs.Count} comparisons within tolerance.[/]" : $"[red]{bad} of {diffs.Count} comparisons outside tolerance.[/]");
    }

    private static string Abbreviate(string cell)
    {
        var keep = new[] { "d=", "mu=", "alpha=", "resolution=", "data=" };
        return string.Join(" ", cell.Split(';').Where(p => keep.Any(k => p.StartsWith(k, StringComparison.Ordinal))));
    }
}
