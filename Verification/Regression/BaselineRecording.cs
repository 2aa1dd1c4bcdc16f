using Verify.Simulation.Files;
using Verify.Verification.Experiments;
using Verify.Verification.Output;
using Verify.Verification.Results;
using Verify.Verification.Sweeps;

namespace Verify.Verification.Regression;

/// <summary>What `verify baseline` was asked: the experiment as loaded and planned, and the rest of its options as given (null when absent).</summary>
/// <param name="Results">The folder of run results (--results); null for results/&lt;experiment name&gt;.</param>
/// <param name="Jobs">Runs in parallel (--jobs), checked here.</param>
/// <param name="OutFile">The baseline file (--out); null for baselines/&lt;experiment name&gt;.json.</param>
internal sealed record BaselineRequest(ExperimentConfig Experiment, IReadOnlyList<PlannedRun> Plan, string? Results, int Jobs, string? OutFile);

/// <summary>`verify baseline`: run (or reuse) an experiment's runs and store them, with their settings and tolerances, as a <see cref="Baseline"/>.</summary>
internal static class BaselineRecording
{
    public static Ending Execute(BaselineRequest r, CliContext ctx)
    {
        var (exp, plan) = (r.Experiment, r.Plan);
        var store = ResultStore.For(r.Results, exp.Name);
        string path = r.OutFile ?? Path.Combine("baselines", exp.Name + ".json");
        WritableFolder.CheckFile(path, "--out"); // before any run: a finished sweep must have somewhere to go
        // A reference is made from results that can be trusted: a stored run that is damaged or edited is refused, not
        // silently recomputed beside the others (the folder it is in may hold other lies that still look valid).
        foreach (var run in plan)
            if (store.Lookup(run) is { Unusable: true } bad)
                throw new InvalidInputException($"run file '{InputFile.Printable(bad.Path)}' cannot go into a baseline: {bad.Problem}; nothing was written (`verify run` recomputes it)");
        var outcome = Sweep.Execute(ctx, plan, store, Sweep.CheckJobs(r.Jobs), exp.Name);
        if (outcome.Interrupted) { ctx.Error.WriteLine("interrupted: no baseline written"); return Interruption.EndingOf(outcome.ExitCode); }
        var records = plan.Select(run => (Run: run, Record: Stored(store, run))).ToList();
        var runs = records.Select(t => new BaselineRun(t.Run.Id, t.Run.Settings, t.Record.Metrics, t.Record.Divergence, t.Record.Curve.RobustLoss.LastOrDefault())).ToList();
        var first = records[0].Record;
        var baseline = new Baseline(Baseline.CurrentSchema, exp.Name, exp.AsRunJson, DateTimeOffset.UtcNow, first.Provenance.Version,
            first.Provenance.Environment, new RegressionTolerances(), runs);
        AtomicFile.WriteAllText(path, Json.Write(baseline));
        ctx.Out.WriteLine($"baseline of {runs.Count} runs written to {Path.GetFullPath(path)}");
        return Ending.Done;
    }

    /// <summary>A run's record after the sweep, checked again: a file changed meanwhile is refused, not stored as a reference.</summary>
    private static RunRecord Stored(ResultStore store, PlannedRun run)
    {
        var stored = store.Lookup(run);
        return stored.Record ?? throw new InvalidInputException(
            $"run file '{InputFile.Printable(stored.Path)}' cannot go into a baseline: {stored.Problem ?? "it is missing"} after the sweep; nothing was written");
    }
}
