using System.CommandLine;
using Verify.Verification.Output;
using Verify.Verification.Regression;

namespace Verify.Verification.Commands;

/// <summary>`verify baseline`: the options of <see cref="BaselineRecording"/>.</summary>
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
            var request = new BaselineRequest(exp, opts.Plan(p, exp), p.GetValue(opts.Results), p.GetValue(opts.Jobs), p.GetValue(output));
            return ExitCodes.Of(BaselineRecording.Execute(request, ctx));
        });
        return cmd;
    }
}
