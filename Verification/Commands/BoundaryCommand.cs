using System.CommandLine;
using Verify.Verification.Boundaries;
using Verify.Verification.Output;

namespace Verify.Verification.Commands;

/// <summary>`verify boundary`: the options of <see cref="BoundaryStudy"/>.</summary>
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
        cmd.SetAction(p => ExitCodes.Of(BoundaryStudy.Execute(new BoundaryRequest(p.GetValue(config)!, opts.Load(p, p.GetValue(config)!, searchesD: true),
            p.GetValue(opts.Results), p.GetValue(opts.MaxRuns), p.GetValue(opts.Jobs), p.GetValue(shard), p.GetValue(output)), ctx)));
        return cmd;
    }
}
