using System.CommandLine;
using Verify.Verification.Output;
using Verify.Verification.Experiments;
using Verify.Verification.Sweeps;
using Verify.Verification.Text;

namespace Verify.Verification.Commands;

/// <summary>`verify run`: the sweep of an experiment, resumable and shardable.</summary>
internal static class RunCommand
{
    public static Command Create(CliContext ctx)
    {
        var config = new Argument<string>("config") { Description = "experiment JSON file (see experiments/)" };
        var shard = new Option<string>("--shard") { Description = "run only shard i of N (for example 3/8): a deterministic 1/N of the runs, for job arrays" };
        var opts = new ExperimentOptions();
        var cmd = new Command("run", "Run an experiment's grid × seeds. Each finished run is saved at once; rerunning skips finished runs, so an interrupted sweep resumes.") { config, shard };
        opts.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var exp = opts.Load(p, p.GetValue(config)!);
            var plan = opts.Plan(p, exp);
            IReadOnlyList<PlannedRun> mine = plan;
            string scope = "";
            if (p.GetValue(shard) is { } s)
            {
                var (i, n) = Shard.Parse(s);
                mine = ExperimentPlan.Shard(plan, i, n);
                scope = $" (shard {i}/{n}: {mine.Count} runs)";
            }
            var store = opts.Store(p, exp);
            int cells = plan.Select(r => r.CellKey).Distinct().Count();
            ctx.Error.WriteLine($"{exp.Name}: {plan.Count} runs = {cells} cells × {exp.Seeds} seeds{scope}; results in {store.Directory}");
            var outcome = Sweep.Execute(ctx, mine, store, opts.JobCount(p), exp.Name);
            ctx.Out.WriteLine($"{outcome.Finished}/{outcome.Planned} runs finished ({outcome.Reused} reused, {outcome.Computed} computed, {outcome.Diverged} diverged) in {Fmt.Duration(outcome.WallSeconds)}; results in {store.Directory}");
            if (outcome.Interrupted)
            {
                ctx.Error.WriteLine("interrupted: every finished run is saved; run the same command again to resume.");
                return outcome.ExitCode;
            }
            ctx.Out.WriteLine($"next: verify report {p.GetValue(config)}" + (p.GetValue(shard) is null ? "" : " (after all shards finish and, if they wrote to different folders, verify merge)"));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
