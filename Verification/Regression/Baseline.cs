using Verify.Verification.Results;
using Verify.Verification.Settings;

namespace Verify.Verification.Regression;

/// <summary>
/// Stored results of an experiment to rerun later (`verify regress`). Schema "verify.baseline/2"
/// (typed settings; "/1" files, with settings as strings, are read the same way). Each run keeps its
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
        if (!File.Exists(path)) throw new InvalidInputException($"baseline file '{path}' not found");
        Baseline b;
        try { b = Json.Read<Baseline>(File.ReadAllText(path)); }
        catch (System.Text.Json.JsonException ex) { throw new InvalidInputException($"baseline file '{path}' is not a valid baseline: {ex.Message}"); }
        if (b.Schema is not (CurrentSchema or "verify.baseline/1"))
            throw new InvalidInputException($"baseline file '{path}' has schema '{b.Schema}', expected '{CurrentSchema}' (or verify.baseline/1)");
        if (b.Runs is null || b.Runs.Count == 0) throw new InvalidInputException($"baseline file '{path}' has no runs");
        return b;
    }
}

internal sealed record BaselineRun(string Id, RunSettings Settings, RunMetrics? Metrics, string? Divergence, double FinalCurveLoss);

/// <summary>
/// Per-metric tolerances. Deterministic quantities (same seed, same settings): the robust training
/// loss and the last recorded curve loss must agree to <see cref="LossRelative"/> (relative). Statistical
/// quantities (error rates): the rerun must fall inside the baseline run's 95% Wilson interval,
/// widened by <see cref="RateSlack"/> (absolute). Interpolation and divergence must match exactly.
/// </summary>
internal sealed record RegressionTolerances(double LossRelative = 1e-6, double RateSlack = 0);
