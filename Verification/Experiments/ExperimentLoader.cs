using Verify.Simulation.Settings;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Verify.Verification.Boundaries;
using Verify.Verification.Settings;

namespace Verify.Verification.Experiments;

/// <summary>
/// Reads an experiment JSON (through Microsoft.Extensions.Configuration.Json) and applies
/// `--set key=value` overrides. Every key is checked: an unknown key, a wrong type, a null or an
/// out-of-range value is an error naming it, never a silent default. The document's shape (kinds,
/// nesting, the runs it plans) is checked first, on its text (<see cref="ExperimentShape"/>).
/// </summary>
/// <remarks>
/// Layout: { "name", "description", "notes", "scale", "masterSeed", "seeds", "C", "delta", "epsilon",
/// "tolerances": { "benign" }, "fixed": { run settings }, "grid": { axis: [values] or
/// { "from", "to", "count", "scale": "log"|"linear" } } or "grids": [ { … }, … ],
/// "boundary": { "metric", "threshold", "dFrom", "dTo", "tolerance", "start", "startWidth" } }.
/// Overrides: `--set seeds=3`, `--set iterations=200` (a run setting: fixed, and removed from the grids),
/// `--set grid.d=100,1000` (replaces that axis in every grid that has it).
/// </remarks>
internal static class ExperimentLoader
{
    /// <summary>The longest experiment name: it names a folder (results/NAME, reports/NAME).</summary>
    public const int MaxNameLength = 100;

    /// <summary>
    /// The experiment in <paramref name="path"/>, with the overrides <paramref name="sets"/>; refused when it plans more
    /// than <paramref name="maxRuns"/> runs, counted from the document's shape before any value is read (--max-runs),
    /// for a boundary search (<paramref name="searchesD"/>) without its grid axis d.
    /// </summary>
    public static ExperimentConfig Load(string path, IEnumerable<string>? sets = null, long maxRuns = long.MaxValue, bool searchesD = false)
        => Load(SettingsFile.ReadBytes(path), $"config file '{path}'", $"'{path}'", Path.GetFullPath(path), sets, maxRuns, searchesD);

    /// <summary>An experiment from JSON text (a baseline's configuration as run); <paramref name="where"/> names it in messages.</summary>
    public static ExperimentConfig LoadText(string json, string where) => Load(System.Text.Encoding.UTF8.GetBytes(json), where, where, where, null, long.MaxValue, false);

    private static ExperimentConfig Load(byte[] json, string file, string where, string source, IEnumerable<string>? sets, long maxRuns, bool searchesD)
    {
        // The shape first, in one pass over the text: a document of millions of grid values is refused by counting
        // them, before the configuration reader below builds a key for each (seconds per million) or any is parsed.
        var shape = ExperimentShape.Read(json, file, where);
        shape.CheckRuns(sets ?? [], maxRuns, where, searchesD);
        return Load(SettingsFile.Parse(json, file), where, source, sets);
    }

    /// <summary>The values of a document whose shape was checked (<see cref="ExperimentShape"/>: every key of its kind, no null, within the limits).</summary>
    private static ExperimentConfig Load(IConfigurationRoot root, string where, string source, IEnumerable<string>? sets)
    {
        var top = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var k in new[] { "name", "description", "notes", "scale", "masterSeed", "seeds", "C", "delta", "epsilon" })
            top[k] = root[k];
        var tol = root.GetSection("tolerances");
        foreach (var child in tol.GetChildren())
            if (child.Key == "collapse")
                throw new InvalidInputException($"tolerances.collapse in {where} is no longer used: Theorem 3.2 (collapse) is now tested as a claim, by a one-sided test with a Holm correction; remove the key");
            else if (child.Key != "benign")
                throw new InvalidInputException($"unknown key 'tolerances.{child.Key}' in {where}; allowed: benign");
        top["tolerances.benign"] = tol["benign"];
        var boundary = root.GetSection("boundary");
        // An empty object {} has no value and no children, so Exists() is false: the key among the root's children tells.
        bool hasBoundary = root.GetChildren().Any(c => string.Equals(c.Key, "boundary", StringComparison.OrdinalIgnoreCase));
        if (hasBoundary) foreach (var k in BoundarySpec.Keys) top["boundary." + k] = null; // so that --set boundary.<key> applies
        foreach (var child in boundary.GetChildren())
            if (!BoundarySpec.Keys.Contains(child.Key, StringComparer.Ordinal))
                throw new InvalidInputException($"unknown key 'boundary.{child.Key}' in {where}; allowed: {string.Join(", ", BoundarySpec.Keys)}");
            else top["boundary." + child.Key] = child.Value;

        var fixedValues = SettingsFile.Leaves(root.GetSection("fixed")).ToList();
        var grids = new List<Dictionary<Setting, IReadOnlyList<object>>>();
        if (root.GetSection("grid").Exists()) grids.Add(ReadGrid(root.GetSection("grid"), where));
        foreach (var g in root.GetSection("grids").GetChildren()) grids.Add(ReadGrid(g, where));
        if (grids.Count == 0) grids.Add([]);

        // Overrides.
        var fixedMap = RunSettings.Parse(fixedValues, $"{where} (fixed)");
        foreach (var set in sets ?? [])
        {
            int eq = set.IndexOf('=');
            if (eq <= 0) throw new InvalidInputException($"--set '{set}' must look like key=value");
            string key = set[..eq].Trim(), value = set[(eq + 1)..].Trim();
            if (key.StartsWith("grid.", StringComparison.OrdinalIgnoreCase))
            {
                string axis = key[5..];
                var (setting, values) = ParseAxis(axis, value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), "--set");
                var having = grids.Where(g => g.ContainsKey(setting)).ToList();
                if (having.Count == 0) throw new InvalidInputException($"--set {key}: no grid has the axis '{setting.Name}'");
                foreach (var g in having) g[setting] = values;
            }
            else if (top.ContainsKey(key))
            {
                top[top.Keys.First(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase))] = value;
            }
            else
            {
                // A fixed value: it replaces the axis, and the setting it excludes (α replaces α/M) wherever that is.
                var setting = Keys.Get(key, "--set");
                fixedMap = fixedMap.Replacing(setting, setting.Parse(value, "--set"));
                foreach (var g in grids) { g.Remove(setting); if (setting.Excludes is { } other) g.Remove(other); }
            }
        }

        foreach (var g in grids)
            foreach (var axis in g.Keys)
                if (fixedMap.Has(axis))
                    throw new InvalidInputException($"'{axis.Name}' is both fixed and a grid axis in {where}: keep one");

        string name = top["name"] ?? Path.GetFileNameWithoutExtension(source);
        if (!IsName(name))
            throw InvalidInputException.MustBe("name", $"'{(name.Length > 40 ? name[..40] + "…" : name)}'", $"1–{MaxNameLength} letters, digits, '.', '_' or '-', starting with a letter or digit (it names the results and report folders)", where);

        var config = new ExperimentConfig(
            name,
            top["description"] ?? "",
            top["notes"],
            top["scale"],
            ULong(top["masterSeed"], "masterSeed", 0),
            Int(top["seeds"], "seeds", 1, 1, 100_000),
            Real(top["C"], "C", 1, v => v > 0, "a finite number > 0"),
            Real(top["delta"], "delta", 0.05, v => v > 0 && v < 1, "a number in (0, 1)"),
            Real(top["epsilon"], "epsilon", 0.05, v => v > 0 && v < 0.5, "a number in (0, 0.5)"),
            Real(top["tolerances.benign"], "tolerances.benign", 0.05, v => v > 0 && v < 0.5, "a number in (0, 0.5)"),
            fixedMap,
            grids,
            source,
            "",
            hasBoundary ? ReadBoundary(top, where) : null);
        return config with { AsRunJson = AsRun(config) };
    }

    private static BoundarySpec ReadBoundary(Dictionary<string, string?> top, string where)
    {
        string metric = top.GetValueOrDefault("boundary.metric") ?? "robust";
        var parsed = Enum.GetValues<BoundaryMetric>().Where(m => BoundarySpec.MetricName(m) == metric).Select(m => (BoundaryMetric?)m).FirstOrDefault()
            ?? throw InvalidInputException.MustBe("boundary.metric", $"'{metric}'", "clean, robust or certified", where);
        double? threshold = top.GetValueOrDefault("boundary.threshold") is { } t
            ? Real(t, "boundary.threshold", null, v => v > 0 && v < 1, "a number in (0, 1)") : null;
        long from = Long(top.GetValueOrDefault("boundary.dFrom"), "boundary.dFrom", BoundarySpec.DefaultFrom);
        long to = Long(top.GetValueOrDefault("boundary.dTo"), "boundary.dTo", BoundarySpec.DefaultTo);
        if (to <= from) throw InvalidInputException.MustBe("boundary.dTo", $"{to}", $"above boundary.dFrom = {from}", where);
        double tolerance = Real(top.GetValueOrDefault("boundary.tolerance"), "boundary.tolerance", BoundarySpec.DefaultTolerance,
            v => v >= 0.001 && v <= 3, "a width in log₁₀ d in [0.001, 3]");
        string start = top.GetValueOrDefault("boundary.start") ?? "range";
        if (start is not ("range" or "heuristic")) throw InvalidInputException.MustBe("boundary.start", $"'{start}'", "range (bracket with dFrom and dTo) or heuristic (bracket around the HEURISTIC crossing)", where);
        double width = Real(top.GetValueOrDefault("boundary.startWidth"), "boundary.startWidth", 1, v => v > 0 && v <= 5, "a width in decades in (0, 5]");
        return new BoundarySpec(parsed, threshold, from, to, tolerance, start == "heuristic", width);
    }

    /// <summary>A dimension (boundary.dFrom, boundary.dTo): what the setting d allows.</summary>
    private static long Long(string? s, string field, long def)
    {
        if (s is null) return def;
        return Keys.D.TryParse(s, out long v) ? v : throw InvalidInputException.MustBe(field, $"'{s}'", Keys.D.Allowed);
    }

    private static Dictionary<Setting, IReadOnlyList<object>> ReadGrid(IConfigurationSection grid, string where)
    {
        var result = new Dictionary<Setting, IReadOnlyList<object>>();
        foreach (var axis in grid.GetChildren())
        {
            IReadOnlyList<string> values;
            var children = axis.GetChildren().ToList();
            if (axis.Value is not null) values = axis.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            else if (children.Count > 0 && children.All(c => int.TryParse(c.Key, out _)))
                values = children.OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture)).Select(c => c.Value ?? "").ToList();
            else values = Range(axis, where);
            var (setting, typed) = ParseAxis(axis.Key, values, where);
            if (result.ContainsKey(setting)) throw new InvalidInputException($"grid axis '{setting.Name}' appears twice in {where}");
            result[setting] = typed;
        }
        RunSettings.CheckExclusive(result.Keys, $"a grid of {where}");
        return result;
    }

    /// <summary>{ "from", "to", "count", "scale": "log" | "linear" }: inclusive, integer axes rounded (duplicates dropped).</summary>
    private static List<string> Range(IConfigurationSection axis, string where)
    {
        foreach (var c in axis.GetChildren())
            if (c.Key is not ("from" or "to" or "count" or "scale"))
                throw new InvalidInputException($"unknown key '{axis.Key}.{c.Key}' in {where}; a range has from, to, count, scale");
        string p = $"grid.{axis.Key}";
        double from = Real(axis["from"], $"{p}.from", null, double.IsFinite, "a number");
        double to = Real(axis["to"], $"{p}.to", null, double.IsFinite, "a number");
        int count = Int(axis["count"], $"{p}.count", null, 1, ExperimentShape.MaxAxisValues);
        string scale = axis["scale"] ?? "log";
        if (scale is not ("log" or "linear")) throw InvalidInputException.MustBe($"{p}.scale", $"'{scale}'", "log or linear", where);
        if (scale == "log" && !(from > 0 && to > 0)) throw new InvalidInputException($"{p}: a log range needs from > 0 and to > 0 in {where}");
        bool integer = Keys.Find(axis.Key)?.IsWhole == true;
        var values = new List<string>();
        for (int i = 0; i < count; i++)
        {
            double t = count == 1 ? 0 : (double)i / (count - 1);
            double v = scale == "log" ? Math.Exp(Math.Log(from) + t * (Math.Log(to) - Math.Log(from))) : from + t * (to - from);
            string s = integer ? Math.Round(v).ToString("0", CultureInfo.InvariantCulture) : Math.Round(v, 12).ToString("R", CultureInfo.InvariantCulture);
            if (!values.Contains(s)) values.Add(s);
        }
        return values;
    }

    /// <summary>The axis's setting and its values, each parsed once by the setting.</summary>
    private static (Setting Key, IReadOnlyList<object> Values) ParseAxis(string axis, IReadOnlyList<string> values, string where)
    {
        var key = Keys.Find(axis) ?? throw new InvalidInputException($"unknown grid axis '{axis}' in {where}{Keys.Suggest(axis)}");
        if (values.Count == 0) throw new InvalidInputException($"grid axis '{key.Name}' in {where} has no values");
        var typed = values.Select(v => key.TryParseBoxed(v)
            ?? throw new InvalidInputException($"grid.{key.Name} value '{v}' in {where} is not allowed: must be {key.Allowed}")).ToList();
        return (key, typed);
    }

    private static int Int(string? s, string field, int? def, int min, int max)
    {
        if (s is null) return def ?? throw new InvalidInputException($"{field} is required");
        if (!Setting.TryInt(s, out int v) || v < min || v > max)
            throw InvalidInputException.MustBe(field, $"'{s}'", $"an integer in [{min}, {max}]");
        return v;
    }

    private static ulong ULong(string? s, string field, ulong def)
    {
        if (s is null) return def;
        if (!ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v))
            throw InvalidInputException.MustBe(field, $"'{s}'", "an integer in [0, 2⁶⁴)");
        return v;
    }

    private static double Real(string? s, string field, double? def, Func<double, bool> ok, string allowed)
    {
        if (s is null) return def ?? throw new InvalidInputException($"{field} is required");
        if (!Setting.TryReal(s, out double v) || !ok(v)) throw InvalidInputException.MustBe(field, $"'{s}'", allowed);
        return v;
    }

    private static JsonNode? Grid(IReadOnlyDictionary<Setting, IReadOnlyList<object>> grid) => new JsonObject(grid
        .OrderBy(kv => kv.Key.Name, StringComparer.Ordinal)
        .Select(kv => KeyValuePair.Create(kv.Key.Name, (JsonNode?)new JsonArray(kv.Value.Select(v => Node(kv.Key, v)).ToArray()))));

    /// <summary>A name that is safe as one folder name on every system: no separator, no "..", no control or reserved character.</summary>
    public static bool IsName(string name) => name.Length is > 0 and <= MaxNameLength && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>A typed setting value as JSON: numbers as numbers.</summary>
    private static JsonNode? Node(Setting key, object v) => v switch
    {
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        ulong u => JsonValue.Create(u),
        _ => JsonValue.Create(key.Format(v)),
    };

    /// <summary>The configuration as it ran (after overrides), as JSON for the report and the baseline.</summary>
    private static string AsRun(ExperimentConfig c)
    {
        var o = new JsonObject
        {
            ["name"] = c.Name,
            ["description"] = c.Description,
            ["masterSeed"] = c.MasterSeed,
            ["seeds"] = c.Seeds,
            ["C"] = c.C,
            ["delta"] = c.Delta,
            ["epsilon"] = c.Epsilon,
            ["tolerances"] = new JsonObject { ["benign"] = c.BenignTolerance },
            ["fixed"] = JsonSerializer.SerializeToNode(c.Fixed, Results.Json.Options),
            ["grids"] = new JsonArray(c.Grids.Select(Grid).ToArray()),
        };
        if (c.Scale is not null) o["scale"] = c.Scale;
        if (c.Boundary is { } b)
        {
            var bo = new JsonObject { ["metric"] = BoundarySpec.MetricName(b.Metric), ["dFrom"] = b.DFrom, ["dTo"] = b.DTo, ["tolerance"] = b.Tolerance,
                ["start"] = b.StartAtHeuristic ? "heuristic" : "range", ["startWidth"] = b.StartWidth };
            if (b.Threshold is { } t) bo["threshold"] = t;
            o["boundary"] = bo;
        }
        if (c.Notes is not null) o["notes"] = c.Notes;
        return o.ToJsonString(Results.Json.AsWritten);
    }
}
