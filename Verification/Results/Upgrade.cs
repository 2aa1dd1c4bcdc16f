using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Verify.Simulation.Settings;

namespace Verify.Verification.Results;

/// <summary>
/// The one place where files of earlier versions become the current model: run files of schema "verify.run/1" and
/// baselines of "verify.baseline/1" (every setting a string), and setting values renamed or added since (the MNIST
/// normalization "standardize", now "standardize-run"; MNIST runs from before the split setting, which ran the only
/// split there was: per run), and the signal norm of Gaussian runs from before it was recorded in input units (M/σ then,
/// with no σ). A reader passes a file's text through here before reading it, and nothing after sees
/// an earlier schema or value. A file that is current is returned as it is, unparsed.
/// </summary>
internal static class Upgrade
{
    public const string RunV1 = "verify.run/1";
    public const string BaselineV1 = "verify.baseline/1";

    /// <summary>A run file's text in the current schema.</summary>
    public static string Run(string json)
        => Document(json, RunV1, RunRecord.CurrentSchema, root =>
        {
            Settings(root["settings"]);
            Provenance(root["provenance"], root["settings"]);
        });

    /// <summary>A baseline's text in the <paramref name="current"/> schema, each run's settings upgraded.</summary>
    public static string Baseline(string json, string current)
        => Document(json, BaselineV1, current, root =>
        {
            if (root["runs"] is JsonArray runs)
                foreach (var run in runs) Settings(run?["settings"]);
        });

    private static string Document(string json, string old, string current, Action<JsonObject> settings)
    {
        // Every earlier form names one of these strings; a current file (almost every file) is not parsed twice.
        if (!json.Contains('"' + old + '"', StringComparison.Ordinal) && !json.Contains("\"standardize\"", StringComparison.Ordinal)
            && !(json.Contains("\"mnist\"", StringComparison.Ordinal) && !json.Contains("\"mnistSplit\"", StringComparison.Ordinal))
            && !(json.Contains("\"gaussian\"", StringComparison.Ordinal) && Regex.IsMatch(json, "\"noiseScale\"\\s*:\\s*null")))
            return json;
        JsonNode? node;
        try { node = JsonNode.Parse(json); }
        catch (JsonException) { return json; } // the reader says what is wrong with it
        if (node is not JsonObject root) return json;
        if (root["schema"] is JsonValue v && v.TryGetValue(out string? schema) && schema == old) root["schema"] = current;
        settings(root);
        return root.ToJsonString();
    }

    /// <summary>A Gaussian run's M/σ without σ, as recorded before both were in input units: M and σ are its settings' (exactly, not (M/σ)·σ).</summary>
    private static void Provenance(JsonNode? node, JsonNode? settings)
    {
        if (node is not JsonObject p || settings is not JsonObject s || p["noiseScale"] is not null) return;
        if (s[Keys.Data.Name] is not JsonValue data || !data.TryGetValue(out string? kind) || kind != Keys.Data.Format(DataKind.Gaussian)) return;
        static double Value(JsonObject settings, Setting<double> key) => settings[key.Name] is JsonValue v && v.TryGetValue(out double x) ? x : key.Default;
        if (p["signalNorm"] is JsonValue) p["signalNorm"] = Value(s, Keys.Mu);
        p["noiseScale"] = Value(s, Keys.Sigma);
    }

    /// <summary>Settings as any version wrote them, in place: strings of numbers and booleans typed, renamed values renamed, added settings at the value that ran.</summary>
    private static void Settings(JsonNode? node)
    {
        if (node is not JsonObject settings) return;
        foreach (var (name, value) in settings.ToList())
        {
            if (Keys.Find(name) is not { } key || value is not JsonValue text || !text.TryGetValue(out string? s)) continue;
            if (key == Keys.Normalization && s == "standardize") settings[name] = Keys.Normalization.Format(MnistNormalization.StandardizeRun);
            else if (key.IsNumber || key.ValueType == typeof(bool) || key.ValueType == typeof(ulong))
                if (key.TryParseBoxed(s) is { } typed) settings[name] = JsonSerializer.SerializeToNode(typed);
        }
        if (settings[Keys.Data.Name] is JsonValue data && data.TryGetValue(out string? kind) && kind == Keys.Data.Format(DataKind.Mnist)
            && !settings.ContainsKey(Keys.MnistSplit.Name))
            settings[Keys.MnistSplit.Name] = Keys.MnistSplit.Format(MnistSplit.PerRun);
    }
}
