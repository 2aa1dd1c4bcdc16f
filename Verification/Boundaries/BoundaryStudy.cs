using System.Diagnostics;
using Verify.Verification.Analysis;
using Verify.Verification.Experiments;
using Verify.Verification.Output;
using Verify.Verification.Results;
using Verify.Verification.Sweeps;
using Verify.Verification.Text;

namespace Verify.Verification.Boundaries;

/// <summary>What `verify boundary` was asked: the experiment as loaded, and the rest of its options as given (null when absent).</summary>
/// <param name="MaxRuns">The most runs the search may plan (--max-runs).</param>
/// <param name="Jobs">Runs in parallel (--jobs), checked here.</param>
/// <param name="Shard">"i/N": search only that share of the curves, and write no report.</param>
/// <param name="OutDir">The report folder; null for reports/&lt;experiment name&gt;.</param>
internal sealed record BoundaryRequest(string ConfigPath, ExperimentConfig Experiment, string? Results, long MaxRuns, int Jobs, string? Shard, string? OutDir);

/// <summary>
/// `verify boundary`: for each curve of an experiment (a value of every grid axis but d), the d at which the chosen
/// error crosses its threshold, by bisection in log d (<see cref="BoundaryRunner"/>), each round one sweep of ordinary
/// stored runs (resumable, shardable by curve, reused by `report`); then the slopes of d(M) and the report
/// reports/&lt;name&gt;/boundary.{md,html,json}.
/// </summary>
internal static class BoundaryStudy
{
    public static Ending Execute(BoundaryRequest r, CliContext ctx)
    {
        var clock = Stopwatch.StartNew();
        var exp = r.Experiment;
        var spec = exp.Boundary!;
        var curves = BoundaryRunner.Curves(exp);
        if (BoundaryRunner.GridDNote(exp) is { } note) ctx.Error.WriteLine(note);
        double bound = (double)curves.Count * MaxMeasurements(spec) * exp.Seeds;
        if (bound > r.MaxRuns)
            throw new InvalidInputException($"'{exp.Name}' may plan up to {bound:G6} runs ({curves.Count} curves × {MaxMeasurements(spec)} values of d × {exp.Seeds} seeds), above the limit of {r.MaxRuns}: "
                + "fewer curves or seeds, a wider boundary.tolerance, or --max-runs if you mean it");
        IReadOnlyList<BoundaryCurve> mine = curves;
        string scope = "";
        if (r.Shard is { } s)
        {
            var part = Experiments.Shard.Parse(s);
            mine = part.Of(curves);
            scope = $" (shard {part}: {mine.Count} curves)";
        }
        var store = ResultStore.For(r.Results, exp.Name);
        store.CheckWritable("--results");
        string outDir = r.OutDir ?? Path.Combine("reports", exp.Name);
        if (r.Shard is null) WritableFolder.Check(outDir, "--out", BoundaryReport.Targets(outDir));
        int jobs = Sweep.CheckJobs(r.Jobs);
        // What a run needs grows with d in the naive and subspace modes: the largest d of the range is checked before any work.
        foreach (var c in mine) Simulation.Runs.Resources.Check(BoundaryRunner.Plan(exp, c, spec.DTo)[0].Spec, Simulation.Runs.Resources.AvailableBytes, jobs);
        ctx.Error.WriteLine($"{exp.Name}: boundary search on {curves.Count} curves{scope}, {exp.Seeds} seed(s) per d, at most {MaxMeasurements(spec)} values of d each; results in {store.Directory}");

        var rounds = new Rounds(exp, store, jobs, ctx);
        var (results, interrupted) = BoundaryRunner.Run(mine, spec, exp.Epsilon, rounds.Measure);
        if (interrupted)
        {
            ctx.Error.WriteLine("interrupted: every finished run is saved; run the same command again to resume (finished rounds replay from the store).");
            return rounds.Stop;
        }
        if (r.Shard is not null)
        {
            ctx.Out.WriteLine($"{mine.Count} curve(s) searched{scope} in {Fmt.Duration(clock.Elapsed.TotalSeconds)}; results in {store.Directory}");
            ctx.Out.WriteLine($"next: verify boundary {r.ConfigPath} (after all shards finish and, if they wrote to different folders, verify merge): it reuses every run and writes the report");
            return Ending.Done;
        }
        var families = BoundaryAnalysis.Families(results, spec.Metric);
        var summary = new BoundarySummary(exp.Name, exp.Description, exp.Notes, exp.Scale ?? "as configured", exp.AsRunJson, spec, exp.Epsilon, exp.Seeds,
            results, families, RunEnvironment.Of(rounds.Records.Values.ToList(), rounds.Reused, clock.Elapsed.TotalSeconds), BoundarySummary.Headline(families, results));
        var files = BoundaryReport.Write(summary, outDir);
        foreach (var line in summary.Headlines) ctx.Out.WriteLine("  " + line);
        ctx.Out.WriteLine($"report: {files.Html}");
        ctx.Out.WriteLine($"        {files.Markdown}");
        return Ending.Done;
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

    /// <summary>
    /// The measurements of the search's rounds, each one sweep; it keeps every record it read, for the report's
    /// environment, and how the sweep stopped when one was interrupted.
    /// </summary>
    private sealed class Rounds(ExperimentConfig exp, ResultStore store, int jobs, CliContext ctx)
    {
        public Dictionary<string, RunRecord> Records { get; } = new(StringComparer.Ordinal);
        public int Reused { get; private set; }
        public Ending Stop { get; private set; } = Ending.Done;

        public IReadOnlyList<BoundaryMeasurement>? Measure(int round, IReadOnlyList<(BoundaryCurve Curve, double D)> asks)
        {
            var plans = asks.Select(a => BoundaryRunner.Plan(exp, a.Curve, a.D)).ToList();
            var runs = plans.SelectMany(r => r).DistinctBy(r => r.Id).ToList();
            ctx.Error.WriteLine($"round {round}: {asks.Select(a => a.Curve).Distinct().Count()} curve(s) searching, {asks.Count} value(s) of d, {runs.Count} runs");
            var outcome = Sweep.Execute(ctx, runs, store, jobs, $"{exp.Name} round {round}");
            if (outcome.Interrupted) { Stop = Interruption.EndingOf(outcome.ExitCode); return null; }
            Reused += outcome.Reused;
            return asks.Select((a, i) =>
            {
                var found = plans[i].Select(r => (r.Id, Record: store.TryLoad(r))).Where(t => t.Record is not null).ToList();
                foreach (var (id, rec) in found) Records[id] = rec!;
                return BoundaryRunner.Measure(a.D, found.Select(t => t.Record!).ToList(), exp.Boundary!.Metric);
            }).ToList();
        }
    }
}
