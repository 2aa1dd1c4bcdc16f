using Verify.Verification.Settings;
using Verify.Simulation.Files;
using Verify.Verification.Experiments;
using Verify.Verification.Results;

namespace Verify.Verification.Sweeps;

/// <summary>
/// A folder of run results, one JSON file per run named by its id (runs/&lt;id&gt;.json). Files are
/// written atomically, so after any interruption every file present is complete; a rerun skips them.
/// </summary>
internal sealed class ResultStore(string directory)
{
    /// <summary>The folder --results names, else results/&lt;experiment name&gt;; a blank --results is refused, not taken for the default.</summary>
    public static ResultStore For(string? given, string experimentName)
    {
        if (given is not null && string.IsNullOrWhiteSpace(given)) throw InvalidInputException.MustBe("--results", "''", "a folder");
        return new ResultStore(given ?? Path.Combine("results", experimentName));
    }

    public string Directory { get; } = Path.GetFullPath(directory);
    public string RunsDirectory => Path.Combine(Directory, "runs");

    /// <summary>The file of run <paramref name="id"/>; only ids of the documented form name files, so no content can steer a write elsewhere.</summary>
    public string PathOf(string id) => RunId.IsValid(id)
        ? Path.Combine(RunsDirectory, id + ".json")
        : throw InvalidInputException.MustBe("run id", $"'{id}'", "16 lowercase hex digits (the hash of a run's settings)");

    /// <summary>The stored result of a planned run, or null when absent, unreadable, invalid or for other settings.</summary>
    public RunRecord? TryLoad(PlannedRun run) => Lookup(run).Record;

    /// <summary>
    /// The stored result of a planned run; when there is none, whether a file was there that could not be used;
    /// when there is one, whether it lacks what this version records (it is then recomputed by a sweep, and reported as it is otherwise).
    /// </summary>
    public (RunRecord? Record, bool Unreadable, bool Outdated) Find(PlannedRun run)
    {
        var stored = Lookup(run);
        return (stored.Record, stored.Unusable, stored.Outdated);
    }

    /// <summary>
    /// The stored result of a planned run, checked (<see cref="Read"/>) and for the run's own settings; else why the file
    /// there cannot be used. A folder or another non-regular file in its place is an input error: this is called while
    /// planning, so a sweep refuses before computing a result it could not save.
    /// </summary>
    public StoredRun Lookup(PlannedRun run)
    {
        var stored = Read(PathOf(run.Id));
        if (stored.Record is { } r && !r.Settings.Equals(run.Settings))
            return stored with { Record = null, Problem = "settings are not those of the planned run with this id: the file holds another run's result" };
        return stored with { Outdated = stored.Record?.PredatesCertification == true };
    }

    /// <summary>Before any run is computed: the runs folder exists or can be made and takes a file (the message names <paramref name="option"/>).</summary>
    public void CheckWritable(string option)
    {
        if (File.Exists(Directory)) throw InvalidInputException.MustBe(option, $"'{Directory}'", "a folder, not a file");
        WritableFolder.Check(RunsDirectory, option);
    }

    /// <summary>The record in a run file when it is there and valid (<see cref="Read"/>), else null.</summary>
    public static RunRecord? TryRead(string path) => Read(path).Record;

    /// <summary>
    /// Reads a run file and checks every field (<see cref="RunRecordValidation"/>; a file named by a run id must hold that
    /// run): a record that is not valid is never used, and the first problem says why. An absent file is neither.
    /// </summary>
    public static StoredRun Read(string path)
    {
        if (InputFile.Kind(path) is { } kind)
            throw new InvalidInputException($"run file '{InputFile.Printable(path)}' is {kind}: verify keeps each run's result there as a regular file; remove or rename it");
        if (!File.Exists(path)) return new StoredRun(path, null, null);
        var record = Parse(path, out string? problem);
        if (record is null)
            return new StoredRun(path, null, problem ?? $"schema is not one this version reads ('{RunRecord.CurrentSchema}' or '{Upgrade.RunV1}'): the file was written by another version");
        string name = Path.GetFileNameWithoutExtension(path);
        var problems = RunRecordValidation.Problems(record, RunId.IsValid(name) ? name : null);
        return new StoredRun(path, problems.Count == 0 ? record : null, problems.Count == 0 ? null : OneLine(problems[0].Message));
    }

    private static RunRecord? Parse(string path, out string? problem)
    {
        problem = null;
        try
        {
            var r = Json.Read<RunRecord>(Upgrade.Run(Simulation.Files.InputFile.ReadJsonText(path, "run file", Simulation.Files.InputLimits.RunFile)));
            return RunRecord.Readable(r.Schema) ? r : null;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or IOException or NotSupportedException or ArgumentException)
        {
            problem = OneLine(ex is System.Text.Json.JsonException j ? JsonProblem(j) : $"cannot be read: {ex.Message}");
            return null;
        }
    }

    /// <summary>What the JSON reader found, naming the field by its path ("metrics.cleanTest.errors must be an integer") rather than by .NET types and byte offsets.</summary>
    private static string JsonProblem(System.Text.Json.JsonException ex)
    {
        string message = ex.Message;
        int cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut];
        string? field = ex.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : null;
        const string Conversion = "The JSON value could not be converted to ";
        if (field is not null && message.StartsWith(Conversion, StringComparison.Ordinal))
        {
            string type = message[Conversion.Length..].TrimEnd('.');
            string kind = type switch
            {
                "System.Int32" or "System.Int64" => "an integer",
                "System.UInt64" => "an integer ≥ 0",
                "System.Double" => "a number",
                "System.String" => "a text",
                "System.Boolean" => "true or false",
                _ when type.EndsWith("[]", StringComparison.Ordinal) => "an array",
                _ => "an object",
            };
            return $"{field} must be {kind}: the file was edited or is damaged";
        }
        string where = ex.LineNumber is { } line ? $" (line {line + 1})" : "";
        return field is null ? $"not a valid run file{where}: {message}" : $"not a valid run file at {field}{where}: {message}";
    }

    /// <summary>A problem as one line of a warning or an error, whatever the file held (a setting's value is quoted as written).</summary>
    private static string OneLine(string text) => InputFile.Printable(string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));

    public void Save(PlannedRun run, RunRecord record) => AtomicFile.WriteAllText(PathOf(run.Id), Json.Write(record));

    public IEnumerable<string> Files() => System.IO.Directory.Exists(RunsDirectory)
        ? System.IO.Directory.EnumerateFiles(RunsDirectory, "*.json") : [];
}

/// <summary>
/// What a run file gave: its record when the file is there and valid; else, when a file is there, the first problem
/// found (naming the field); and whether a valid record lacks what this version records (<see cref="RunRecord.PredatesCertification"/>).
/// </summary>
internal sealed record StoredRun(string Path, RunRecord? Record, string? Problem, bool Outdated = false)
{
    /// <summary>A file is there that cannot be used: corrupt, invalid, of another version or of other settings.</summary>
    public bool Unusable => Problem is not null;
}
