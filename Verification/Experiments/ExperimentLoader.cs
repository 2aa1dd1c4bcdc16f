using Verify.Simulation.Settings;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Verify.Verification.Boundaries;
using Verify.Verification.Settings;

namespace Verify.Verification.Experiments;

/// <summary>
/// Reads an experiment JSON into its typed form, <see cref="ExperimentConfig"/>, and applies `--set key=value`
/// overrides. Every key is checked: an unknown key, a wrong type, a null, a repeated key or an out-of-range value is an
/// error naming it, never a silent default. The document is read once, as text (<see cref="ExperimentDocument"/>:
/// kinds, nesting and the runs it plans are checked there); each value is then parsed once, by its setting.
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
        // One pass over the text keeps every value as text and counts the grids' lengths: a document of millions of
        // grid values is refused by counting before any value is parsed.
        var document = ExperimentDocument.Read(json, file, where);
        document.CheckRuns(sets ?? [], maxRuns, where, searchesD);
        return Typed(document, where, source, sets ?? []);
    }

    /// <summary>The typed experiment of a document whose shape was checked (every key of its kind, no null, within the limits), after the overrides.</summary>
    private static ExperimentConfig Typed(ExperimentDocument document, string where, string source, IEnumerable<string> sets)
    {
        var top = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var k in ExperimentDocument.TextKeys.Concat(ExperimentDocument.NumberKeys)) top[k] = document.Top.GetValueOrDefault(k);
        top["tolerances.benign"] = null; // so that --set tolerances.benign applies
        foreach (var (key, value) in document.Tolerances)
            top["tolerances.benign"] = key == "benign" ? value : throw new InvalidInputException($"unknown key 'tolerances.{key}' in {where}; allowed: benign");
        if (document.Boundary is { } section)
        {
            foreach (var k in BoundarySpec.Keys) top["boundary." + k] = null; // so that --set boundary.<key> applies
            foreach (var (key, value) in section)
                top["boundary." + key] = BoundarySpec.Keys.Contains(key, StringComparer.Ordinal) ? value
                    : throw new InvalidInputException($"unknown key 'boundary.{key}' in {where}; allowed: {string.Join(", ", BoundarySpec.Keys)}");
        }

        // Overrides: a grid axis is replaced while still text; a run setting is fixed, and removes its axis and the setting it excludes.
        var fixedMap = RunSettings.Parse(document.Fixed, $"{where} (fixed)");
        var grids = document.Grids.Select(g => g.ToList()).DefaultIfEmpty([]).ToList();
        foreach (var set in sets)
        {
            int eq = set.IndexOf('=');
            if (eq <= 0) throw new InvalidInputException($"--set '{set}' must look like key=value");
            string key = set[..eq].Trim(), value = set[(eq + 1)..].Trim();
            if (key.StartsWith("grid.", StringComparison.OrdinalIgnoreCase))
            {
                var setting = Keys.Find(key[5..]) ?? throw new InvalidInputException($"unknown grid axis '{key[5..]}' in --set{Keys.Suggest(key[5..])}");
                var values = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                var having = grids.Where(g => g.Any(a => a.Name == setting.Name)).ToList();
                if (having.Count == 0) throw new InvalidInputException($"--set {key}: no grid has the axis '{setting.Name}'");
                foreach (var g in having) g[g.FindIndex(a => a.Name == setting.Name)] = new AxisText(CommandLine, setting.Name, values.Length, true, values, null);
            }
            else if (top.ContainsKey(key))
            {
                top[top.Keys.First(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase))] = value;
            }
            else
            {
                var setting = Keys.Get(key, "--set");
                fixedMap = fixedMap.Replacing(setting, setting.Parse(value, "--set"));
                foreach (var g in grids) g.RemoveAll(a => a.Name == setting.Name || a.Name == setting.Excludes?.Name);
            }
        }
        var typedGrids = grids.Select(g => TypedGrid(g, where)).ToList();

        foreach (var g in typedGrids)
            foreach (var axis in g.Axes)
                if (fixedMap.Has(axis.Setting))
                    throw new InvalidInputException($"'{axis.Setting.Name}' is both fixed and a grid axis in {where}: keep one");

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
            typedGrids,
            source,
            "",
            document.Boundary is not null ? ReadBoundary(top, where) : null);
        return config with { AsRunJson = AsRun(config) };
    }

    /// <summary>The path of an axis given by `--set grid.NAME=…`.</summary>
    private const string CommandLine = "--set";

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

    /// <summary>A grid's axes, each value parsed once by its setting.</summary>
    private static Grid TypedGrid(IReadOnlyList<AxisText> axes, string where)
    {
        var grid = new Grid(axes.Select(axis =>
        {
            string at = axis.Path == CommandLine ? CommandLine : where;
            var setting = Keys.Find(axis.Name)!; // the document reader refused unknown axes
            var values = axis.Range is { } range ? Range(axis.Name, range, where) : axis.Values!;
            if (values.Count == 0) throw new InvalidInputException($"grid axis '{setting.Name}' in {at} has no values");
            return new GridAxis(setting, values.Select(v => setting.TryParseBoxed(v)
                ?? throw new InvalidInputException($"grid.{setting.Name} value '{v}' in {at} is not allowed: must be {setting.Allowed}")).ToList());
        }));
        RunSettings.CheckExclusive(grid.Axes.Select(a => a.Setting), $"a grid of {where}");
        return grid;
    }

    /// <summary>{ "from", "to", "count", "scale": "log" | "linear" }: inclusive, integer axes rounded (duplicates dropped).</summary>
    private static List<string> Range(string name, IReadOnlyList<KeyValuePair<string, string>> range, string where)
    {
        foreach (var (key, _) in range)
            if (key is not ("from" or "to" or "count" or "scale"))
                throw new InvalidInputException($"unknown key '{name}.{key}' in {where}; a range has from, to, count, scale");
        string? Get(string key) => range.FirstOrDefault(kv => kv.Key == key).Value;
        string p = $"grid.{name}";
        double from = Real(Get("from"), $"{p}.from", null, double.IsFinite, "a number");
        double to = Real(Get("to"), $"{p}.to", null, double.IsFinite, "a number");
        int count = Int(Get("count"), $"{p}.count", null, 1, ExperimentDocument.MaxAxisValues);
        string scale = Get("scale") ?? "log";
        if (scale is not ("log" or "linear")) throw InvalidInputException.MustBe($"{p}.scale", $"'{scale}'", "log or linear", where);
        if (scale == "log" && !(from > 0 && to > 0)) throw new InvalidInputException($"{p}: a log range needs from > 0 and to > 0 in {where}");
        bool integer = Keys.Find(name)?.IsWhole == true;
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

    private static JsonNode? AsJson(Grid grid) => new JsonObject(grid.Axes
        .Select(a => KeyValuePair.Create(a.Setting.Name, (JsonNode?)new JsonArray(a.Values.Select(v => Node(a.Setting, v)).ToArray()))));

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
            ["grids"] = new JsonArray(c.Grids.Select(AsJson).ToArray()),
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
