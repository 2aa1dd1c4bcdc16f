using System.CommandLine;
using Verify.Verification.Output;
using Verify.Verification.Regression;

namespace Verify.Verification.Commands;

/// <summary>`verify regress`: the options of <see cref="RegressionRun"/>.</summary>
internal static class RegressCommand
{
    public static Command Create(CliContext ctx)
    {
        var file = new Argument<string>("baseline") { Description = "baseline JSON written by `verify baseline`" };
        var sample = OptionFactory.Integer("--sample", "rerun only k cells, chosen deterministically (0 = all)", 0, "an integer ≥ 0");
        var jobs = OptionFactory.Integer("--jobs", "runs in parallel [default: number of cores]", Environment.ProcessorCount, "an integer ≥ 1");
        var all = OptionFactory.Flag("--all-rows", "list every compared metric, not only the ones outside tolerance");
        var cmd = new Command("regress", "Rerun a stored experiment from scratch and compare with its baseline; exit code 1 on any drift beyond tolerance.") { file, sample, jobs, all, OptionFactory.Blas() };
        cmd.SetAction(p => ExitCodes.Of(RegressionRun.Execute(new RegressRequest(p.GetValue(file)!, p.GetValue(sample), p.GetValue(jobs), p.GetValue(all)), ctx)));
        return cmd;
    }
}
