using System.CommandLine;
using Spectre.Console;
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
            var outcome = Sweep.Execute(ctx, plan, store, opts.JobCount(p), exp.Name);
            if (outcome.Interrupted) { ctx.Error.WriteLine("interrupted: no baseline written"); return outcome.ExitCode; }
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
}
