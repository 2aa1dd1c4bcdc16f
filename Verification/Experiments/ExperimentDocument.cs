using Verify.Simulation.Settings;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Verify.Verification.Settings;

namespace Verify.Verification.Experiments;

/// <summary>One grid axis as written: where it is, its setting's name, how many values it plans, and its values as text.</summary>
/// <param name="Listed">Whether the values are listed (a list, or a text "v1,v2,…"): a listed axis above <see cref="ExperimentDocument.MaxAxisValues"/> is refused.</param>
/// <param name="Values">The values' texts; null for a range, and for a listed axis above the limit (counted, never kept).</param>
/// <param name="Range">A range's keys and their texts { "from", "to", "count", "scale" }; null for listed values.</param>
internal sealed record AxisText(string Path, string Name, long Count, bool Listed, IReadOnlyList<string>? Values, IReadOnlyList<KeyValuePair<string, string>>? Range);

/// <summary>
/// An experiment document as written, read in one streaming pass (System.Text.Json's token reader): every key checked
/// for its kind (a value, an object, a list; never null) and kept as text in its place, every grid axis with its length.
/// Nothing is parsed yet: the runs the document plans are counted from these lengths (<see cref="CheckRuns"/>), so that
/// a document of millions of grid values is refused by counting, in a fraction of a second, with at most
/// <see cref="MaxAxisValues"/> texts kept per axis. <see cref="ExperimentLoader"/> then types the values.
/// </summary>
/// <param name="Top">The top-level values given (name, description, notes, scale, masterSeed, seeds, C, delta, epsilon), by their spelling here.</param>
/// <param name="Tolerances">The members of "tolerances", as written.</param>
/// <param name="Fixed">The members of "fixed": run settings as written.</param>
/// <param name="Boundary">The members of "boundary", or null without the section ({} is a search with every default).</param>
/// <param name="Grids">"grid", or each of "grids": its axes.</param>
internal sealed record ExperimentDocument(
    IReadOnlyDictionary<string, string> Top,
    IReadOnlyList<KeyValuePair<string, string>> Tolerances,
    IReadOnlyList<KeyValuePair<string, string>> Fixed,
    IReadOnlyList<KeyValuePair<string, string>>? Boundary,
    IReadOnlyList<IReadOnlyList<AxisText>> Grids)
{
    /// <summary>The most values one grid axis may have, listed or as a range's count.</summary>
    public const int MaxAxisValues = 10_000;

    /// <summary>The most grids in "grids" (each is at least one cell; the experiments have one or two).</summary>
    public const int MaxGrids = 1_000;

    /// <summary>The most keys of one object (there are fewer run settings, so more means repeated or unknown keys).</summary>
    public const int MaxKeys = 100;

    /// <summary>The top-level keys that hold one value.</summary>
    public static readonly string[] TextKeys = ["name", "description", "notes", "scale"];
    public static readonly string[] NumberKeys = ["masterSeed", "seeds", "C", "delta", "epsilon"];

    /// <summary>
    /// The document in <paramref name="json"/>, or an input error: not JSON (naming <paramref name="file"/>), nested
    /// deeper than <see cref="SettingsFile.MaxDepth"/>, a key of the wrong kind or null, or a key given twice (naming the key and <paramref name="where"/>).
    /// </summary>
    public static ExperimentDocument Read(ReadOnlySpan<byte> json, string file, string where)
    {
        var walker = new Walker(file, where);
        var reader = new Utf8JsonReader(SettingsFile.WithoutBom(json), SettingsFile.ReaderOptions);
        try
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject) walker.Top(ref reader);
            else walker.Fail($"{file} must hold one JSON object {{ \"name\", \"fixed\", \"grid\", … }}, found {walker.Found(ref reader)}");
            reader.Read(); // anything after the object is a syntax error
        }
        catch (JsonException ex)
        {
            throw new InvalidInputException($"{file} is not valid JSON: {ex.Message}");
        }
        if (walker.Error is { } error) throw new InvalidInputException(error);
        return new ExperimentDocument(walker.TopValues, walker.Tolerances, walker.Fixed, walker.Boundary, walker.Grids);
    }

    /// <summary>
    /// Refuses a plan above <paramref name="maxRuns"/> runs, counted from the shape: Σ over grids of the product of
    /// their axes' lengths (a range counts its "count" points), times the seeds, after the overrides
    /// <paramref name="sets"/> (as the loader applies them). Then refuses a listed axis above <see cref="MaxAxisValues"/>.
    /// Nothing is expanded and no value is parsed; the arithmetic cannot overflow. For a boundary search
    /// (<paramref name="searchesD"/>) an axis d is not expanded: each curve (a cell of the other axes) plans one run
    /// per seed at least, at every d the search measures.
    /// </summary>
    public void CheckRuns(IEnumerable<string> sets, long maxRuns, string where, bool searchesD = false)
    {
        var grids = Grids.Select(g => g.ToDictionary(a => a.Name, StringComparer.Ordinal)).ToList();
        int seeds = SeedsOf(Top.GetValueOrDefault("seeds"));
        foreach (var set in sets)
        {
            int eq = set.IndexOf('=');
            if (eq <= 0) continue; // the loader names it
            string key = set[..eq].Trim(), value = set[(eq + 1)..].Trim();
            if (key.StartsWith("grid.", StringComparison.OrdinalIgnoreCase))
            {
                if (Keys.Find(key[5..]) is not { } axis) continue;
                long count = Parts(value);
                foreach (var g in grids.Where(g => g.ContainsKey(axis.Name))) g[axis.Name] = new AxisText("--set " + key, axis.Name, count, Listed: true, null, null);
            }
            else if (string.Equals(key, "seeds", StringComparison.OrdinalIgnoreCase)) seeds = SeedsOf(value);
            else if (Keys.Find(key) is { } setting)
            {
                // A run setting given on the command line is fixed: the loader removes its axis (and the setting it excludes).
                foreach (var g in grids) { g.Remove(setting.Name); if (setting.Excludes is { } other) g.Remove(other.Name); }
            }
        }
        if (grids.Count == 0) grids.Add([]);
        BigInteger cells = grids.Aggregate(BigInteger.Zero, (sum, g) => sum + g.Where(a => !(searchesD && a.Key == Keys.D.Name)).Aggregate(BigInteger.One, (n, a) => n * a.Value.Count));
        BigInteger runs = cells * seeds;
        if (runs > maxRuns)
            throw new InvalidInputException($"{where} plans {(searchesD ? "at least " : "")}{Count(runs)} runs ({Count(cells)} {(searchesD ? "curves" : "cells")} × {seeds} seeds"
                + $"{(searchesD ? ", each at one d or more" : "")}, counted from its grids' lengths before any value is read), "
                + $"above the limit of {maxRuns}: shrink the grid, or raise the limit with --max-runs if you mean it");
        foreach (var axis in grids.SelectMany(g => g.Values).Where(a => a.Listed && a.Count > MaxAxisValues))
            throw new InvalidInputException($"{axis.Path} in {where} has {axis.Count} values, above the limit of {MaxAxisValues} per axis: "
                + "give fewer values");
    }

    /// <summary>A count for messages: exact up to 10¹⁵, else in powers of ten (a product of many axes can have hundreds of digits).</summary>
    public static string Count(BigInteger n) => n < 1_000_000_000_000_000
        ? n.ToString(CultureInfo.InvariantCulture)
        : $"about 10^{Math.Floor(BigInteger.Log10(n)).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The values of "v1,v2,…" as the loader splits it (empty parts dropped), counted without building them.</summary>
    private static int Parts(string text)
    {
        var span = text.AsSpan();
        int parts = 0;
        foreach (var range in span.Split(','))
            if (!span[range].IsWhiteSpace()) parts++;
        return parts;
    }

    /// <summary>The seeds for counting: the value when it is one, else 1 (the loader then names the bad value).</summary>
    private static int SeedsOf(string? text) => text is not null && Setting.TryInt(text, out int v) && v >= 1 ? v : 1;

    /// <summary>What a grid axis may be.</summary>
    private const string AxisKinds = "a list of values, a range { \"from\", \"to\", \"count\", \"scale\" } or one value";

    /// <summary>What a key that is null should be instead, by its path ("seeds", "fixed.n", "grid.d.3", "boundary.dTo").</summary>
    private static string Expected(string path)
    {
        string[] parts = path.Split('.');
        string top = parts[0];
        if (path == "grids") return "must be a list of grid objects (leave the key out for a single cell)";
        if (top is "grid" or "grids")
        {
            // grid.AXIS[.i] or grids.k.AXIS[.i]
            int at = top == "grid" ? 1 : 2;
            if (parts.Length <= at) return top == "grid" ? "must be an object of axes (leave the key out for a single cell)" : "must be an object of axes";
            var key = Keys.Find(parts[at]);
            if (parts.Length == at + 1) return "must be " + AxisKinds;
            return parts[at + 1] switch
            {
                "from" or "to" => "must be a number",
                "count" => $"must be an integer in [1, {MaxAxisValues}]",
                "scale" => "must be log or linear (leave the key out for log)",
                _ => $"must be {key?.Allowed ?? "a value"}",
            };
        }
        if (top == "fixed" && parts.Length > 1)
        {
            var key = Keys.Find(parts[1]);
            return key is null ? "must be a value" : $"must be {key.Allowed}" + (key.DefaultText is { } d ? $" (leave the key out for the default, {d})" : " (leave the key out to leave it unset)");
        }
        return path switch
        {
            "name" => "must be a text (leave the key out for the file's name)",
            "description" or "notes" or "scale" => "must be a text (leave the key out for none)",
            "masterSeed" => "must be an integer in [0, 2⁶⁴) (leave the key out for 0)",
            "seeds" => "must be an integer in [1, 100000] (leave the key out for 1)",
            "C" => "must be a finite number > 0 (leave the key out for 1)",
            "delta" => "must be a number in (0, 1) (leave the key out for 0.05)",
            "epsilon" or "tolerances.benign" => "must be a number in (0, 0.5) (leave the key out for 0.05)",
            "tolerances" => "must be an object { \"benign\": … } (leave the key out for the default)",
            "fixed" => "must be an object of run settings (leave the key out for none)",
            "boundary" => "must be an object { \"metric\", \"threshold\", \"dFrom\", \"dTo\", \"tolerance\", \"start\", \"startWidth\" } ({} searches with every default; leave the key out for no search)",
            "boundary.metric" => "must be clean, robust or certified (leave the key out for robust)",
            "boundary.threshold" => "must be a number in (0, 1) (leave the key out for β + ε)",
            "boundary.dFrom" or "boundary.dTo" => $"must be {Keys.D.Allowed} (leave the key out for the default)",
            "boundary.tolerance" => "must be a width in log₁₀ d in [0.001, 3] (leave the key out for 0.1)",
            "boundary.start" => "must be range or heuristic (leave the key out for range)",
            "boundary.startWidth" => "must be a width in decades in (0, 5] (leave the key out for 1)",
            _ => "must be a value",
        };
    }

    /// <summary>The pass over the tokens: records the first error of kind and goes on, so that a syntax or depth error anywhere wins.</summary>
    private sealed class Walker(string file, string where)
    {
        private static readonly string[] TopKeys = [.. TextKeys, .. NumberKeys, "tolerances", "fixed", "grid", "grids", "boundary"];

        public string? Error { get; private set; }
        public Dictionary<string, string> TopValues { get; } = new(StringComparer.Ordinal);
        public List<KeyValuePair<string, string>> Tolerances { get; } = [];
        public List<KeyValuePair<string, string>> Fixed { get; } = [];
        public List<KeyValuePair<string, string>>? Boundary { get; private set; }
        public List<IReadOnlyList<AxisText>> Grids { get; } = [];
        private string _under = "";

        public void Fail(string message) => Error ??= message;

        /// <summary>The top-level object; the reader is on its '{'.</summary>
        public void Top(ref Utf8JsonReader r)
        {
            bool grid = false, grids = false;
            var seen = Seen();
            while (Next(ref r) == JsonTokenType.PropertyName)
            {
                string given = r.GetString()!;
                string? key = TopKeys.FirstOrDefault(k => string.Equals(k, given, StringComparison.OrdinalIgnoreCase));
                r.Read();
                _under = given;
                if (!Once(seen, given, given)) { Found(ref r); continue; }
                if (seen.Count > MaxKeys) { Fail($"{file} has more than {MaxKeys} keys"); Found(ref r); continue; }
                switch (key)
                {
                    case null:
                        Fail($"unknown key '{given}' in {where}; allowed: {string.Join(", ", TopKeys)}");
                        Found(ref r);
                        break;
                    case "tolerances":
                        Members(ref r, key, "an object { \"benign\": … }", Tolerances);
                        break;
                    case "fixed":
                        Members(ref r, key, "an object of run settings", Fixed);
                        break;
                    case "boundary":
                        Boundary = [];
                        Members(ref r, key, "an object { \"metric\", \"threshold\", \"dFrom\", \"dTo\", \"tolerance\", \"start\", \"startWidth\" }", Boundary);
                        break;
                    case "grid":
                        grid = true;
                        if (r.TokenType == JsonTokenType.StartObject) Grids.Add(Axes(ref r, key));
                        else Mismatch(ref r, key, "an object of axes");
                        break;
                    case "grids":
                        grids = true;
                        GridList(ref r);
                        break;
                    default:
                        if (Value(ref r, key, TextKeys.Contains(key) ? "a text" : "a number") is { } text) TopValues[key] = text;
                        break;
                }
            }
            if (grid && grids) Fail($"{where} has both 'grid' and 'grids': use one");
        }

        private void GridList(ref Utf8JsonReader r)
        {
            if (r.TokenType != JsonTokenType.StartArray) { Mismatch(ref r, "grids", "a list of grid objects"); return; }
            Enter(ref r);
            int i = 0;
            while (Next(ref r) is var t && t != JsonTokenType.EndArray)
            {
                string path = $"grids.{i++}";
                if (i > MaxGrids) { Fail($"grids in {where} has more than {MaxGrids} grids: merge them, or use fewer"); Found(ref r); }
                else if (t == JsonTokenType.StartObject) Grids.Add(Axes(ref r, path));
                else Mismatch(ref r, path, "an object of axes");
            }
        }

        /// <summary>An object of axes; the reader is on its '{'.</summary>
        private List<AxisText> Axes(ref Utf8JsonReader r, string path)
        {
            Enter(ref r);
            var axes = new List<AxisText>();
            var seen = Seen();
            while (Next(ref r) == JsonTokenType.PropertyName)
            {
                string given = r.GetString()!;
                r.Read();
                string at = $"{path}.{given}";
                if (seen.Count >= MaxKeys) { Fail($"{path} in {where} has more than {MaxKeys} axes"); Found(ref r); continue; }
                var key = Keys.Find(given);
                if (key is null) Fail($"unknown grid axis '{given}' in {where}{Keys.Suggest(given)}");
                // Axes are told apart by setting, not by spelling.
                else if (!seen.Add(key.Name)) Fail($"grid axis '{key.Name}' appears twice in {where}: keep one");
                string name = key?.Name ?? given;
                axes.Add(r.TokenType switch
                {
                    JsonTokenType.StartArray => List(ref r, at, name),
                    JsonTokenType.StartObject => Range(ref r, at, name),
                    JsonTokenType.String => Joined(r.GetString()!, at, name),
                    JsonTokenType.Null => new AxisText(at, name, NullAt(at), false, null, null),
                    _ => new AxisText(at, name, 1, false, [Value(ref r, at, "a value")!], null),
                });
            }
            return axes;
        }

        /// <summary>A text "v1,v2,…": its parts, counted before it is split, and split only within the limit.</summary>
        private static AxisText Joined(string text, string path, string name)
        {
            int parts = Parts(text);
            var values = parts <= MaxAxisValues ? text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : null;
            return new AxisText(path, name, Math.Max(1, parts), true, values, null);
        }

        /// <summary>The values of a listed axis, counted (each must be one value) and kept within the limit; the reader is on its '['.</summary>
        private AxisText List(ref Utf8JsonReader r, string path, string name)
        {
            Enter(ref r);
            long count = 0;
            var values = new List<string>();
            while (Next(ref r) is var t && t != JsonTokenType.EndArray)
            {
                string? text = t switch
                {
                    JsonTokenType.StartObject or JsonTokenType.StartArray => Mismatched(ref r, $"{path}.{count}", "one value"),
                    JsonTokenType.Null => NullText($"{path}.{count}"),
                    _ => count < MaxAxisValues ? Value(ref r, path, "one value") : null,
                };
                if (text is not null) values.Add(text);
                count++;
            }
            if (count == 0) Fail($"grid axis '{name}' in {where} has no values");
            return new AxisText(path, name, count, true, count <= MaxAxisValues ? values : null, null);
        }

        /// <summary>A range { "from", "to", "count", "scale" }: its count, 1 when it is not a count (the loader names it); the reader is on its '{'.</summary>
        private AxisText Range(ref Utf8JsonReader r, string path, string name)
        {
            var range = new List<KeyValuePair<string, string>>();
            Members(ref r, path, AxisKinds, range);
            if (range.Count == 0) Fail($"{path} in {where} must be {AxisKinds}, found an empty object");
            string? count = range.FirstOrDefault(kv => kv.Key == "count").Value;
            return new AxisText(path, name, count is not null && Setting.TryInt(count, out int n) && n >= 1 ? n : 1, false, null, range);
        }

        /// <summary>An object whose members are single values, kept in <paramref name="into"/>; the reader is on the object's first token.</summary>
        private void Members(ref Utf8JsonReader r, string path, string expected, List<KeyValuePair<string, string>> into)
        {
            if (r.TokenType != JsonTokenType.StartObject) { Mismatch(ref r, path, expected); return; }
            Enter(ref r);
            var seen = Seen();
            while (Next(ref r) == JsonTokenType.PropertyName)
            {
                string key = r.GetString()!;
                r.Read();
                if (!Once(seen, key, $"{path}.{key}")) { Found(ref r); continue; }
                if (seen.Count > MaxKeys) { Fail($"{path} in {where} has more than {MaxKeys} keys"); Found(ref r); continue; }
                string one = path switch { "fixed" => "a single value", "boundary" when key is "metric" or "start" => "a text", _ when key is "scale" => "a text", _ => "a number" };
                if (Value(ref r, $"{path}.{key}", one) is { } text) into.Add(new(key, text));
            }
        }

        /// <summary>Keys seen in one object: told apart regardless of case, as the settings are.</summary>
        private static HashSet<string> Seen() => new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Whether <paramref name="key"/> is new in its object; a repeated key is an error (which of two values was meant is unknown).</summary>
        private bool Once(HashSet<string> seen, string key, string path)
        {
            if (seen.Add(key)) return true;
            Fail($"'{path}' appears twice in {where}: keep one");
            return false;
        }

        /// <summary>One value (text, number, true or false), as text; the reader is on it. Null and lists or objects are errors.</summary>
        private string? Value(ref Utf8JsonReader r, string path, string expected)
        {
            switch (r.TokenType)
            {
                case JsonTokenType.String: return r.GetString();
                case JsonTokenType.Number: return Encoding.UTF8.GetString(r.ValueSpan);
                case JsonTokenType.True: return "true";
                case JsonTokenType.False: return "false";
                case JsonTokenType.Null: NullAt(path); return null;
                default: Mismatch(ref r, path, expected); return null;
            }
        }

        private long NullAt(string path)
        {
            Fail($"{path} in {where} is null: {Expected(path)}");
            return 1;
        }

        private string? NullText(string path) { NullAt(path); return null; }

        private void Mismatch(ref Utf8JsonReader r, string path, string expected)
        {
            if (r.TokenType == JsonTokenType.Null) NullAt(path);
            else Fail($"{path} in {where} must be {expected}, found {Found(ref r)}");
        }

        private string? Mismatched(ref Utf8JsonReader r, string path, string expected) { Mismatch(ref r, path, expected); return null; }

        /// <summary>What the current value is, in words; a list or an object is read to its end (its depth checked on the way).</summary>
        public string Found(ref Utf8JsonReader r)
        {
            switch (r.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    bool list = r.TokenType == JsonTokenType.StartArray;
                    int depth = r.CurrentDepth;
                    Enter(ref r);
                    bool empty = true;
                    while (r.Read())
                    {
                        if (r.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray && r.CurrentDepth == depth) break;
                        empty = false;
                        if (r.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) Enter(ref r);
                    }
                    return (empty, list) switch { (true, true) => "an empty list", (true, false) => "an empty object", (false, true) => "a list", _ => "an object" };
                case JsonTokenType.Null:
                    return "null";
                case JsonTokenType.String:
                    string s = r.GetString()!;
                    return $"the value '{(s.Length > 40 ? s[..40] + "…" : s)}'";
                default:
                    return $"the value '{Encoding.UTF8.GetString(r.ValueSpan)}'";
            }
        }

        private static JsonTokenType Next(ref Utf8JsonReader r) => r.Read() ? r.TokenType : throw new JsonException("the document ends early");

        /// <summary>At a '{' or '[': refuses nesting deeper than <see cref="SettingsFile.MaxDepth"/>, naming the top-level key it is under.</summary>
        private void Enter(ref Utf8JsonReader r)
        {
            if (r.CurrentDepth >= SettingsFile.MaxDepth) throw SettingsFile.TooDeep(file, _under);
        }
    }
}
