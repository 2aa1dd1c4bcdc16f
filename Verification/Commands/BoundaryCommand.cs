using System.CommandLine;
using System.Diagnostics;
using Verify.Verification.Analysis;
using Verify.Verification.Boundaries;
using Verify.Verification.Experiments;
using Verify.Verification.Output;
using Verify.Verification.Results;
using Verify.Verification.Sweeps;
using Verify.Verification.Text;

namespace Verify.Verification.Commands;

/// <summary>
/// `verify boundary`: for each curve of an experiment (a value of every grid axis but d), the d at which
/// the chosen error crosses its threshold, by bisection in log d; then the slopes of d(M) and the report
/// reports/&lt;name&gt;/boundary.{md,html,json}. Runs are ordinary stored runs: resumable, shardable by curve, reused by `report`.
/// </summary>
internal static class BoundaryCommand
{
    public static Command Create(CliContext ctx)
    {
        var config = new Argument<string>("config") { Description = "experiment JSON file with a 'boundary' section (see experiments/asymptotic.json)" };
        var output = new Option<string>("--out") { Description = "report folder [default: reports/<experiment name>]" };
        var shard = new Option<string>("--shard") { Description = "search only shard i of N of the curves (for example 3/8); run again without --shard, on the merged results, for the report" };
        var opts = new ExperimentOptions();
        var cmd = new Command("boundary", "Find, for each M (and each other axis value), the d where the error crosses β + ε by bisection in log d, and measure the scaling laws' slopes.") { config, output, shard };
        opts.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var clock = Stopwatch.StartNew();
            var exp = opts.Load(p, p.GetValue(config)!, searchesD: true);
            var curves = BoundaryRunner.Curves(exp);
            if (BoundaryRunner.GridDNote(exp) is { } note) ctx.Error.WriteLine(note);
            var spec = exp.Boundary!;
            long max = p.GetValue(opts.MaxRuns);
            double bound = (double)curves.Count * MaxMeasurements(spec) * exp.Seeds;
            if (bound > max)
                throw new InvalidInputException($"'{exp.Name}' may plan up to {bound:G6} runs ({curves.Count} curves × {MaxMeasurements(spec)} values of d × {exp.Seeds} seeds), above the limit of {max}: "
                    + "fewer curves or seeds, a wider boundary.tolerance, or --max-runs if you mean it");
            IReadOnlyList<BoundaryCurve> mine = curves;
            string scope = "";
            if (p.GetValue(shard) is { } s)
            {
                var part = Shard.Parse(s);
                mine = part.Of(curves);
                scope = $" (shard {part}: {mine.Count} curves)";
            }
            var store = opts.Store(p, exp);
            store.CheckWritable("--results");
            string outDir = p.GetValue(output) ?? Path.Combine("reports", exp.Name);
            if (p.GetValue(shard) is null) WritableFolder.Check(outDir, "--out", BoundaryReport.Targets(outDir));
            int jobs = opts.JobCount(p);
            // What a run needs grows with d in the naive and subspace modes: the largest d of the range is checked before any work.
            foreach (var c in mine) Simulation.Runs.Resources.Check(BoundaryRunner.Plan(exp, c, spec.DTo)[0].Spec, Simulation.Runs.Resources.AvailableBytes, jobs);
            ctx.Error.WriteLine($"{exp.Name}: boundary search on {curves.Count} curves{scope}, {exp.Seeds} seed(s) per d, at most {MaxMeasurements(spec)} values of d each; results in {store.Directory}");

            var records = new Dictionary<string, RunRecord>(StringComparer.Ordinal);
            int reused = 0, exitCode = 0;
            var (results, interrupted) = BoundaryRunner.Run(mine, spec, exp.Epsilon, (round, asks) =>
            {
                var plans = asks.Select(a => BoundaryRunner.Plan(exp, a.Curve, a.D)).ToList();
                var runs = plans.SelectMany(r => r).DistinctBy(r => r.Id).ToList();
                ctx.Error.WriteLine($"round {round}: {asks.Select(a => a.Curve).Distinct().Count()} curve(s) searching, {asks.Count} value(s) of d, {runs.Count} runs");
                var outcome = Sweep.Execute(ctx, runs, store, jobs, $"{exp.Name} round {round}");
                if (outcome.Interrupted) { exitCode = outcome.ExitCode; return null; }
                reused += outcome.Reused;
                return asks.Select((a, i) =>
                {
                    var found = plans[i].Select(r => (r.Id, Record: store.TryLoad(r))).Where(t => t.Record is not null).ToList();
                    foreach (var (id, rec) in found) records[id] = rec!;
                    return BoundaryRunner.Measure(a.D, found.Select(t => t.Record!).ToList(), spec.Metric);
                }).ToList();
            });
            if (interrupted)
            {
                ctx.Error.WriteLine("interrupted: every finished run is saved; run the same command again to resume (finished rounds replay from the store).");
                return exitCode;
            }
            if (p.GetValue(shard) is not null)
            {
                ctx.Out.WriteLine($"{mine.Count} curve(s) searched{scope} in {Fmt.Duration(clock.Elapsed.TotalSeconds)}; results in {store.Directory}");
                ctx.Out.WriteLine($"next: verify boundary {p.GetValue(config)} (after all shards finish and, if they wrote to different folders, verify merge): it reuses every run and writes the report");
                return ExitCodes.Ok;
            }
            var families = BoundaryAnalysis.Families(results, spec.Metric);
            var summary = new BoundarySummary(exp.Name, exp.Description, exp.Notes, exp.Scale ?? "as configured", exp.AsRunJson, spec, exp.Epsilon, exp.Seeds,
                results, families, RunEnvironment.Of(records.Values.ToList(), reused, clock.Elapsed.TotalSeconds), BoundarySummary.Headline(families, results));
            var files = BoundaryReport.Write(summary, outDir);
            foreach (var line in summary.Headlines) ctx.Out.WriteLine("  " + line);
            ctx.Out.WriteLine($"report: {files.Html}");
            ctx.Out.WriteLine($"        {files.Markdown}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>
    /// The most values of d one search measures: the first two, the outward steps (doubling from the starting
    /// width, when bracketing around a guess), the bisections down to the tolerance, and as many again on each
    /// side of undecided points.
    /// </summary>
    public static int MaxMeasurements(BoundarySpec spec)
    {
        double decades = Math.Log10(spec.DTo) - Math.Log10(spec.DFrom);
        int steps = spec.StartAtHeuristic ? (int)Math.Ceiling(Math.Log2(Math.Max(1, decades / spec.StartWidth))) + 1 : 0;
        int halvings = (int)Math.Ceiling(Math.Log2(Math.Max(1, decades / spec.Tolerance))) + 1;
        return 2 + steps + 3 * halvings;
    }
}
