using System.CommandLine;
using Verify.Verification.Output;
using Verify.Verification.Sweeps;

namespace Verify.Verification.Commands;

/// <summary>`verify merge`: the options of <see cref="ResultMerge"/>.</summary>
internal static class MergeCommand
{
    public static Command Create(CliContext ctx)
    {
        var into = new Option<string>("--into") { Description = "destination results folder", Required = true };
        var sources = new Argument<string[]>("sources") { Description = "results folders written by shards", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("merge", "Combine the result folders of shards into one (run files are keyed by their settings, so this is a checked union).") { into, sources };
        cmd.SetAction(p =>
        {
            ResultMerge.Merge(p.GetValue(into)!, p.GetValue(sources)!, ctx.Out, ctx.Error);
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
