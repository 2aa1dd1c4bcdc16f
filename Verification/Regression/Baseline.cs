using Verify.Simulation.Files;
using Verify.Verification.Results;
using Verify.Verification.Settings;

namespace Verify.Verification.Regression;

/// <summary>
/// Stored results of an experiment to rerun later (`verify regress`). Schema "verify.baseline/2"
/// (typed settings; "/1" files, with settings as strings, are brought to it as they are read, <see cref="Upgrade"/>). Each run keeps its
/// full settings (seed included), so the baseline is self-contained.
/// </summary>
internal sealed record Baseline(
    string Schema,
    string Name,
    string ConfigAsRun,
    DateTimeOffset Created,
    string Version,
    EnvironmentInfo Environment,
    RegressionTolerances Tolerances,
    IReadOnlyList<BaselineRun> Runs)
{
    public const string CurrentSchema = "verify.baseline/2";

    /// <summary>Reads a baseline file; every problem is an input error naming the file.</summary>
    public static Baseline Load(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) throw new InvalidInputException($"baseline file '{path}' not found");
        Baseline b;
        try { b = Json.Read<Baseline>(Upgrade.Baseline(Simulation.Files.InputFile.ReadJsonText(path, "baseline file", Simulation.Files.InputLimits.Baseline), CurrentSchema)); }
        catch (System.Text.Json.JsonException ex) { throw new InvalidInputException($"baseline file '{path}' is not a valid baseline: {ex.Message}"); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"baseline file '{Simulation.Files.InputFile.Printable(path)}' cannot be read: {InputFile.Reason(ex)}");
        }
        if (b.Schema != CurrentSchema)
            throw new InvalidInputException($"baseline file '{path}' has schema '{b.Schema}', expected '{CurrentSchema}' (or {Upgrade.BaselineV1})");
        if (b.Runs is null || b.Runs.Count == 0) throw new InvalidInputException($"baseline file '{path}' has no runs");
        // A file can say anything: every field the rerun and its table use must be there.
        var missing = new (string Field, bool Absent)[]
        {
            ("name", string.IsNullOrWhiteSpace(b.Name)), ("configAsRun", string.IsNullOrEmpty(b.ConfigAsRun)), ("version", b.Version is null),
            ("environment", b.Environment is null || b.Environment.Blas is null || b.Environment.Cpu is null),
            ("tolerances", b.Tolerances is null || !(b.Tolerances.LossRelative >= 0) || !(b.Tolerances.RateSlack >= 0)),
            ("runs", b.Runs.Any(r => r is null)),
        }.Where(f => f.Absent).Select(f => f.Field).ToList();
        if (missing.Count > 0)
            throw new InvalidInputException($"baseline file '{path}' is incomplete or damaged: {string.Join(", ", missing)} missing or invalid");
        b.CheckRuns(path);
        return b;
    }

    /// <summary>
    /// Every run must be what it claims: an id of the documented form that is the hash of its own settings
    /// (so no file content can name a path), a result (metrics or a divergence), and a run of this baseline's
    /// experiment as configured (so runs of another experiment cannot pass for this one).
    /// </summary>
    private void CheckRuns(string path)
    {
        var config = Experiments.ExperimentLoader.LoadText(WithoutTolerances(ConfigAsRun), $"the configuration stored in baseline '{path}'");
        var planned = Experiments.ExperimentPlan.Expand(config, long.MaxValue).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var r in Runs)
        {
            string id = r.Id ?? "";
            if (!(double.IsFinite(r.FinalCurveLoss) && r.FinalCurveLoss >= 0))
                throw new InvalidInputException($"baseline file '{path}': run '{id}' has no finite finalCurveLoss ≥ 0: the file was edited or is damaged");
            if (r.Settings is null) throw new InvalidInputException($"baseline file '{path}': run '{id}' has no settings");
            string expected = RunId.Of(r.Settings);
            if (!RunId.IsValid(id) || id != expected)
                throw new InvalidInputException($"baseline file '{path}': run id '{id}' is not the id of its settings (expected {expected}); the file was edited or is damaged");
            if (r.Metrics is null && r.Divergence is null)
                throw new InvalidInputException($"baseline file '{path}': run {id} has neither metrics nor a divergence: the baseline is incomplete");
            // The reference values themselves: counts, rates and intervals that add up, as a run file's (a rate of 2 is no reference).
            if (RunRecordValidation.ResultProblems(r.Metrics, r.Divergence, r.Settings, "").FirstOrDefault() is { } problem)
                throw new InvalidInputException($"baseline file '{path}': run {id}: {problem.Message}: the file was edited or is damaged");
            if (!planned.Contains(id))
                throw new InvalidInputException($"baseline file '{path}': run {id} is not a run of the experiment '{Name}' as configured in the baseline");
        }
        if (Runs.Select(r => r.Id).Distinct().Count() != Runs.Count)
            throw new InvalidInputException($"baseline file '{path}' lists a run twice");
    }

    /// <summary>The stored configuration without its tolerances: they do not change which runs there are, and older files carry keys retired since.</summary>
    private static string WithoutTolerances(string configAsRun)
    {
        try
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(configAsRun) as System.Text.Json.Nodes.JsonObject
                ?? throw new InvalidInputException("the stored configuration is not a JSON object");
            node.Remove("tolerances");
            return node.ToJsonString();
        }
        catch (System.Text.Json.JsonException ex) { throw new InvalidInputException($"the stored configuration is not valid JSON: {ex.Message}"); }
    }
}

internal sealed record BaselineRun(string Id, RunSettings Settings, RunMetrics? Metrics, string? Divergence, double FinalCurveLoss);

/// <summary>
/// Per-metric tolerances. Deterministic quantities (same seed, same settings): the robust training
/// loss and the last recorded curve loss must agree to <see cref="LossRelative"/> (relative). Statistical
/// quantities (error rates): the rerun must fall inside the baseline run's 95% Wilson interval,
/// widened by <see cref="RateSlack"/> (absolute); so must the certified upper ends of the robust test and training errors, where the
/// baseline has them. Interpolation, certified interpolation (where the baseline has it) and divergence must match exactly.
/// </summary>
internal sealed record RegressionTolerances(double LossRelative = 1e-6, double RateSlack = 0);
