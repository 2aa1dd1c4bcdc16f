using Verify.Simulation.Files;
using Verify.Verification.Results;
using Verify.Verification.Settings;

namespace Verify.Verification.Sweeps;

/// <summary>
/// `verify merge`: the result folders of shards combined into one, a checked union (run files are keyed by their
/// settings): all the runs are copied or, refused, none.
/// </summary>
internal static class ResultMerge
{
    public static void Merge(string into, IReadOnlyList<string> sources, TextWriter output, TextWriter error)
    {
        var dest = new ResultStore(into);
        // Every file is read and checked before anything is written: a merge copies all the runs or, refused, none.
        var chosen = new Dictionary<string, (string File, RunRecord Record)>(StringComparer.Ordinal);
        int same = 0, skipped = 0;
        foreach (var src in sources)
        {
            var store = new ResultStore(src);
            if (!Directory.Exists(store.RunsDirectory)) throw new InvalidInputException($"'{src}' has no runs/ folder: not a results folder");
            foreach (var file in store.Files().Order(StringComparer.Ordinal))
            {
                // A run file is named by the hash of its settings: anything else is not a run file, skipped and never copied under its own name.
                string id = Path.GetFileNameWithoutExtension(file);
                if (!RunId.IsValid(id))
                {
                    error.WriteLine($"skipping {InputFile.Printable(file)}: not a run file (run files are named by the hash of their settings)");
                    skipped++;
                    continue;
                }
                // A run file that lies (damaged, edited, another run's) would pass its lie on to every report of the merged folder.
                var read = ResultStore.Read(file);
                var rec = read.Record ?? throw new InvalidInputException(
                    $"run file '{InputFile.Printable(file)}' cannot be merged: {read.Problem}; nothing was written (recompute it with `verify run`, or remove it)");
                if (chosen.TryGetValue(id, out var first))
                {
                    if (!first.Record.Settings.Equals(rec.Settings))
                        throw new InvalidInputException($"{Path.GetFileName(file)} is in two sources with other settings ('{InputFile.Printable(first.File)}', '{InputFile.Printable(file)}'): refusing to merge; nothing was written");
                    same++;
                    continue;
                }
                chosen[id] = (file, rec);
            }
        }
        dest.CheckWritable("--into");
        var copies = new List<(string File, string Target)>();
        foreach (var (id, (file, rec)) in chosen)
        {
            string target = dest.PathOf(id);
            if (AtomicFile.TargetProblem(Path.GetFullPath(target)) is { } kind)
                throw new InvalidInputException($"run file '{InputFile.Printable(target)}' in --into is {kind}: verify replaces only regular files; nothing was written");
            var existing = ResultStore.Read(target);
            if (existing.Unusable)
                throw new InvalidInputException($"run file '{InputFile.Printable(target)}' is already in --into and is not valid ({existing.Problem}): refusing to overwrite it; nothing was written");
            if (existing.Record is not null)
            {
                if (!existing.Record.Settings.Equals(rec.Settings))
                    throw new InvalidInputException($"{Path.GetFileName(file)} exists in {dest.Directory} with other settings: refusing to overwrite; nothing was written");
                same++;
                continue;
            }
            copies.Add((file, target));
        }
        foreach (var (file, target) in copies)
            AtomicFile.WriteAllText(target, InputFile.ReadAllText(file, "run file", InputLimits.RunFile));
        output.WriteLine($"merged into {dest.Directory}: {copies.Count} runs copied, {same} already present" + (skipped > 0 ? $", {skipped} files skipped" : ""));
    }
}
