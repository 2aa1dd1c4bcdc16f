using Verify.Verification.Experiments;
using Verify.Verification.Results;

namespace Verify.Verification.Sweeps;

/// <summary>
/// A folder of run results, one JSON file per run named by its id (runs/&lt;id&gt;.json). Files are
/// written atomically, so after any interruption every file present is complete; a rerun skips them.
/// </summary>
internal sealed class ResultStore(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);
    public string RunsDirectory => Path.Combine(Directory, "runs");

    public string PathOf(string id) => Path.Combine(RunsDirectory, id + ".json");

    /// <summary>The stored result of a planned run, or null when absent, unreadable or for other settings.</summary>
    public RunRecord? TryLoad(PlannedRun run)
    {
        var record = TryRead(PathOf(run.Id));
        return record is not null && record.Settings.Equals(run.Settings) ? record : null;
    }

    public static RunRecord? TryRead(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var r = Json.Read<RunRecord>(File.ReadAllText(path));
            return RunRecord.Readable(r.Schema) ? r : null;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or IOException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }

    public void Save(PlannedRun run, RunRecord record) => AtomicFile.WriteAllText(PathOf(run.Id), Json.Write(record));

    public IEnumerable<string> Files() => System.IO.Directory.Exists(RunsDirectory)
        ? System.IO.Directory.EnumerateFiles(RunsDirectory, "*.json") : [];

}
