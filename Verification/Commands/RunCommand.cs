using System.CommandLine;
using Verify.Verification.Output;
using Verify.Verification.Sweeps;

namespace Verify.Verification.Commands;

/// <summary>`verify run`: the options of <see cref="ExperimentRun"/>.</summary>
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
            var request = new RunRequest(p.GetValue(config)!, exp, opts.Plan(p, exp), p.GetValue(opts.Results), p.GetValue(opts.Jobs), p.GetValue(shard));
            return ExitCodes.Of(ExperimentRun.Execute(request, ctx));
        });
        return cmd;
    }
}
