using System.CommandLine;
using Spectre.Console;
using Verify.Simulation.Files;
using Verify.Verification.Output;
using Verify.Verification.Experiments;
using Verify.Verification.Results;
using Verify.Verification.Sweeps;
using Verify.Verification.Regression;

namespace Verify.Verification.Commands;

/// <summary>`verify baseline`: run (or reuse) an experiment and store its results with tolerances.</summary>
internal static class BaselineCommand
{
    public static Command Create(CliContext ctx)
    {
        var config = new Argument<string>("config") { Description = "experiment JSON file" };
        var output = new Option<string>("--out") { Description = "baseline file to write [default: baselines/<experiment name>.json]" };
        var opts = new ExperimentOptions();
        var cmd = new Command("baseline", "Run (or reuse) an experiment and store its results as a regression baseline.") { config, output };
        opts.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var exp = opts.Load(p, p.GetValue(config)!);
            var plan = opts.Plan(p, exp);
            var store = opts.Store(p, exp);
            string path = p.GetValue(output) ?? Path.Combine("baselines", exp.Name + ".json");
            WritableFolder.CheckFile(path, "--out"); // before any run: a finished sweep must have somewhere to go
            // A reference is made from results that can be trusted: a stored run that is damaged or edited is refused, not
            // silently recomputed beside the others (the folder it is in may hold other lies that still look valid).
            foreach (var run in plan)
                if (store.Lookup(run) is { Unusable: true } bad)
                    throw new InvalidInputException($"run file '{InputFile.Printable(bad.Path)}' cannot go into a baseline: {bad.Problem}; nothing was written (`verify run` recomputes it)");
            var outcome = Sweep.Execute(ctx, plan, store, opts.JobCount(p), exp.Name);
            if (outcome.Interrupted) { ctx.Error.WriteLine("interrupted: no baseline written"); return outcome.ExitCode; }
            var records = plan.Select(r => (Run: r, Record: Stored(store, r))).ToList();
            var runs = records.Select(t => new BaselineRun(t.Run.Id, t.Run.Settings, t.Record.Metrics, t.Record.Divergence, t.Record.Curve.RobustLoss.LastOrDefault())).ToList();
            var first = records[0].Record;
            var baseline = new Baseline(Baseline.CurrentSchema, exp.Name, exp.AsRunJson, DateTimeOffset.UtcNow, first.Provenance.Version,
                first.Provenance.Environment, new RegressionTolerances(), runs);
            AtomicFile.WriteAllText(path, Json.Write(baseline));
            ctx.Out.WriteLine($"baseline of {runs.Count} runs written to {Path.GetFullPath(path)}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>A run's record after the sweep, checked again: a file changed meanwhile is refused, not stored as a reference.</summary>
    private static RunRecord Stored(ResultStore store, PlannedRun run)
    {
        var stored = store.Lookup(run);
        return stored.Record ?? throw new InvalidInputException(
            $"run file '{InputFile.Printable(stored.Path)}' cannot go into a baseline: {stored.Problem ?? "it is missing"} after the sweep; nothing was written");
    }
}
