using System.CommandLine;
using Verify.Verification.Output;
using Verify.Verification.Experiments;
using Verify.Verification.Sweeps;

namespace Verify.Verification.Commands;

/// <summary>`verify merge`: combine the result folders of shards (a checked union: run files are keyed by their settings).</summary>
internal static class MergeCommand
{
    public static Command Create(CliContext ctx)
    {
        var into = new Option<string>("--into") { Description = "destination results folder", Required = true };
        var sources = new Argument<string[]>("sources") { Description = "results folders written by shards", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("merge", "Combine the result folders of shards into one (run files are keyed by their settings, so this is a checked union).") { into, sources };
        cmd.SetAction(p =>
        {
            var dest = new ResultStore(p.GetValue(into)!);
            dest.CheckWritable("--into");
            int copied = 0, same = 0, skipped = 0;
            foreach (var src in p.GetValue(sources)!)
            {
                var store = new ResultStore(src);
                if (!Directory.Exists(store.RunsDirectory)) throw new InvalidInputException($"'{src}' has no runs/ folder: not a results folder");
                foreach (var file in store.Files())
                {
                    // A run file is named by the hash of its settings: anything else is skipped, never copied under its own name.
                    string id = Path.GetFileNameWithoutExtension(file);
                    var rec = ExperimentPlan.IsRunId(id) ? ResultStore.TryRead(file) : null;
                    if (rec is null || ExperimentPlan.RunId(rec.Settings) != id)
                    {
                        ctx.Error.WriteLine($"skipping {file}: not a readable run file named by its settings");
                        skipped++;
                        continue;
                    }
                    string target = dest.PathOf(id);
                    var existing = ResultStore.TryRead(target);
                    if (existing is not null)
                    {
                        if (!existing.Settings.Equals(rec.Settings))
                            throw new InvalidInputException($"{Path.GetFileName(file)} exists in {dest.Directory} with other settings: refusing to overwrite");
                        same++;
                        continue;
                    }
                    Results.AtomicFile.WriteAllText(target, Simulation.Files.InputFile.ReadAllText(file, "run file", Simulation.Files.InputLimits.RunFile));
                    copied++;
                }
            }
            ctx.Out.WriteLine($"merged into {dest.Directory}: {copied} runs copied, {same} already present" + (skipped > 0 ? $", {skipped} files skipped" : ""));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
