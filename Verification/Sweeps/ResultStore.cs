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

    /// <summary>The file of run <paramref name="id"/>; only ids of the documented form name files, so no content can steer a write elsewhere.</summary>
    public string PathOf(string id) => ExperimentPlan.IsRunId(id)
        ? Path.Combine(RunsDirectory, id + ".json")
        : throw new InvalidInputException($"run id '{id}' is not allowed: must be 16 lowercase hex digits (the hash of a run's settings)");

    /// <summary>The stored result of a planned run, or null when absent, unreadable or for other settings.</summary>
    public RunRecord? TryLoad(PlannedRun run) => Find(run).Record;

    /// <summary>
    /// The stored result of a planned run; when there is none, whether a file was there that could not be used;
    /// when there is one, whether it lacks what this version records (it is then recomputed by a sweep, and reported as it is otherwise).
    /// </summary>
    public (RunRecord? Record, bool Unreadable, bool Outdated) Find(PlannedRun run)
    {
        string path = PathOf(run.Id);
        if (!File.Exists(path)) return (null, false, false);
        var record = TryRead(path);
        return record is not null && record.Settings.Equals(run.Settings) ? (record, false, record.PredatesCertification) : (null, true, false);
    }

    /// <summary>Before any run is computed: the runs folder exists or can be made and takes a file (the message names <paramref name="option"/>).</summary>
    public void CheckWritable(string option)
    {
        if (File.Exists(Directory)) throw InvalidInputException.MustBe(option, $"'{Directory}'", "a folder, not a file");
        WritableFolder.Check(RunsDirectory, option);
    }

    public static RunRecord? TryRead(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var r = Json.Read<RunRecord>(Simulation.Files.InputFile.ReadJsonText(path, "run file", Simulation.Files.InputLimits.RunFile));
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
