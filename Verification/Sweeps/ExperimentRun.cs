using Verify.Verification.Experiments;
using Verify.Verification.Output;
using Verify.Verification.Text;

namespace Verify.Verification.Sweeps;

/// <summary>What `verify run` was asked: the experiment as loaded and planned, and the rest of its options as given (null when absent).</summary>
/// <param name="Shard">"i/N": run only that share of the plan.</param>
internal sealed record RunRequest(string ConfigPath, ExperimentConfig Experiment, IReadOnlyList<PlannedRun> Plan, string? Results, int Jobs, string? Shard);

/// <summary>`verify run`: the sweep of an experiment, resumable and shardable.</summary>
internal static class ExperimentRun
{
    public static Ending Execute(RunRequest r, CliContext ctx)
    {
        var (exp, plan) = (r.Experiment, r.Plan);
        IReadOnlyList<PlannedRun> mine = plan;
        string scope = "";
        if (r.Shard is { } s)
        {
            var (i, n) = Experiments.Shard.Parse(s);
            mine = ExperimentPlan.Shard(plan, i, n);
            scope = $" (shard {i}/{n}: {mine.Count} runs)";
        }
        var store = ResultStore.For(r.Results, exp.Name);
        int cells = plan.Select(run => run.CellKey).Distinct().Count();
        ctx.Error.WriteLine($"{exp.Name}: {plan.Count} runs = {cells} cells × {exp.Seeds} seeds{scope}; results in {store.Directory}");
        var outcome = Sweep.Execute(ctx, mine, store, Sweep.CheckJobs(r.Jobs), exp.Name);
        ctx.Out.WriteLine($"{outcome.Finished}/{outcome.Planned} runs finished ({outcome.Reused} reused, {outcome.Computed} computed, {outcome.Diverged} diverged) in {Fmt.Duration(outcome.WallSeconds)}; results in {store.Directory}");
        if (outcome.Interrupted)
        {
            ctx.Error.WriteLine("interrupted: every finished run is saved; run the same command again to resume.");
            return Interruption.EndingOf(outcome.ExitCode);
        }
        ctx.Out.WriteLine($"next: verify report {r.ConfigPath}" + (r.Shard is null ? "" : " (after all shards finish and, if they wrote to different folders, verify merge)"));
        return Ending.Done;
    }
}
