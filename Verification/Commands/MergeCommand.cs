using System.CommandLine;
using Verify.Verification.Output;
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
            int copied = 0, same = 0;
            foreach (var src in p.GetValue(sources)!)
            {
                var store = new ResultStore(src);
                if (!Directory.Exists(store.RunsDirectory)) throw new InvalidInputException($"'{src}' has no runs/ folder: not a results folder");
                foreach (var file in store.Files())
                {
                    var rec = ResultStore.TryRead(file);
                    if (rec is null) { ctx.Error.WriteLine($"skipping unreadable {file}"); continue; }
                    string target = Path.Combine(dest.RunsDirectory, Path.GetFileName(file));
                    var existing = ResultStore.TryRead(target);
                    if (existing is not null)
                    {
                        if (!existing.Settings.Equals(rec.Settings))
                            throw new InvalidInputException($"{Path.GetFileName(file)} exists in {dest.Directory} with other settings: refusing to overwrite");
                        same++;
                        continue;
                    }
                    Results.AtomicFile.WriteAllText(target, File.ReadAllText(file));
                    copied++;
                }
            }
            ctx.Out.WriteLine($"merged into {dest.Directory}: {copied} runs copied, {same} already present");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
