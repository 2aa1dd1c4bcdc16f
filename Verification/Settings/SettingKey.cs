using System.Globalization;
using System.Text.Json;

namespace Verify.Verification.Settings;

/// <summary>What kind of value a setting holds once parsed: <see cref="int"/>, <see cref="double"/>, <see cref="bool"/>, <see cref="string"/> or <see cref="ulong"/>.</summary>
internal enum SettingKind { Integer, Long, Real, Boolean, Choice, Text, Seed }

/// <summary>
/// One named setting of a run, shared by the command-line options (--kebab-case) and experiment
/// configs and results (camelCase keys): the same name, meaning, allowed range and parser everywhere.
/// Text is parsed once, here; from then on a value is typed (see <see cref="SettingKind"/>), and its
/// canonical text (<see cref="Format"/>) is what names a cell and its result file.
/// </summary>
internal sealed class SettingKey
{
    private readonly Func<object, bool> _inRange;
    private readonly IReadOnlyList<string> _choices;

    private SettingKey(string name, string description, SettingKind kind, string allowed, object? @default, Func<object, bool> inRange, IReadOnlyList<string>? choices = null)
    {
        Name = name;
        Description = description;
        Kind = kind;
        Allowed = allowed;
        Default = @default;
        _inRange = inRange;
        _choices = choices ?? [];
    }

    public string Name { get; }
    public string Description { get; }
    public SettingKind Kind { get; }
    /// <summary>The allowed values, in words ("an integer ≥ 1").</summary>
    public string Allowed { get; }
    /// <summary>The typed default, or null when the setting has none (it is then absent unless given).</summary>
    public object? Default { get; }

    /// <summary>--learning-rate for learningRate.</summary>
    public string OptionName => "--" + string.Concat(Name.Select(c => char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : c.ToString()));

    public string? DefaultText => Default is null ? null : Format(Default);

    /// <summary>
    /// A key added after results were first stored, whose default reproduces what every run did before it
    /// existed: at that value it is left out of a run's identity (its id and the equality of settings), so
    /// results stored before the key existed keep their ids and still match the runs they are.
    /// </summary>
    public bool AddedLater { get; private init; }

    /// <summary>This key, marked <see cref="AddedLater"/>.</summary>
    public SettingKey AddedAfterResults() => new(Name, Description, Kind, Allowed, Default, _inRange, _choices) { AddedLater = true };

    /// <summary>Whether <paramref name="value"/> belongs in a run's identity (<see cref="AddedLater"/> keys at their default do not).</summary>
    public bool InIdentity(object value) => !(AddedLater && value.Equals(Default));

    /// <summary>The help text of the option or config key: meaning, allowed values, default.</summary>
    public string Help => $"{Description}; {Allowed}" + (DefaultText is { } d ? $" [default: {d}]" : "");

    /// <summary>The typed value of <paramref name="text"/>, or null when it is not an allowed value.</summary>
    public object? TryParse(string text)
    {
        text = text.Trim();
        object? value = Kind switch
        {
            SettingKind.Integer => TryInt(text, out int i) ? i : null,
            SettingKind.Long => TryLong(text, out long l) ? l : null,
            SettingKind.Real => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) ? d : null,
            SettingKind.Boolean => bool.TryParse(text, out bool b) ? b : null,
            SettingKind.Choice => _choices.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase)),
            SettingKind.Text => text.Length > 0 ? text : null,
            SettingKind.Seed => ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong u) ? u : null,
            _ => null,
        };
        return value is not null && _inRange(value) ? value : null;
    }

    /// <summary>The typed value of <paramref name="text"/>; an input error naming the key, the text and what is allowed otherwise.</summary>
    public object Parse(string text, string where)
        => TryParse(text) ?? throw new InvalidInputException($"{Name} = '{text}' in {where} is not allowed: must be {Allowed}");

    /// <summary>A typed value checked against this key (for values built in code rather than parsed).</summary>
    public bool Accepts(object value) => value.GetType() == ClrType && _inRange(value);

    /// <summary>The canonical text: invariant, round-trip exact for reals, lower-case choices.</summary>
    public string Format(object value) => value switch
    {
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        ulong u => u.ToString(CultureInfo.InvariantCulture),
        string s => s,
        _ => throw new ArgumentException($"{Name}: unexpected value type {value.GetType().Name}", nameof(value)),
    };

    /// <summary>The value from JSON: a number, a boolean or a string (result files of schema 1 hold every value as a string).</summary>
    public object? TryRead(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => TryParse(e.GetString()!),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => TryParse(e.GetRawText()),
        _ => null,
    };

    public void Write(Utf8JsonWriter w, object value)
    {
        switch (value)
        {
            case int i: w.WriteNumberValue(i); break;
            case long l: w.WriteNumberValue(l); break;
            case double d: w.WriteNumberValue(d); break;
            case ulong u: w.WriteNumberValue(u); break;
            case bool b: w.WriteBooleanValue(b); break;
            default: w.WriteStringValue(Format(value)); break;
        }
    }

    private Type ClrType => Kind switch
    {
        SettingKind.Integer => typeof(int),
        SettingKind.Long => typeof(long),
        SettingKind.Real => typeof(double),
        SettingKind.Boolean => typeof(bool),
        SettingKind.Seed => typeof(ulong),
        _ => typeof(string),
    };

    public static SettingKey Int(string name, string description, int? def, int min, int max = int.MaxValue)
        => new(name, description, SettingKind.Integer, $"an integer in [{min}, {max}]", def,
            v => (int)v >= min && (int)v <= max);

    /// <summary>A whole number beyond int's range (the dimension d reaches 10¹⁵ in the rotation-invariant mode).</summary>
    public static SettingKey Long(string name, string description, long def, long min, long max)
        => new(name, description, SettingKind.Long, $"a whole number in [{min}, {Fmt(max)}]", def, v => (long)v >= min && (long)v <= max);

    private static string Fmt(long v) => v >= 1_000_000 && v % 10 == 0 && Math.Pow(10, Math.Round(Math.Log10(v))) == v ? $"1e{Math.Round(Math.Log10(v))}" : v.ToString(CultureInfo.InvariantCulture);

    public static SettingKey IntOf(string name, string description, int def, params int[] values)
        => new(name, description, SettingKind.Integer, string.Join(", ", values[..^1]) + " or " + values[^1], def, v => values.Contains((int)v));

    public static SettingKey Real(string name, string description, double? def, string allowed, Func<double, bool> ok)
        => new(name, description, SettingKind.Real, allowed, def, v => ok((double)v));

    public static SettingKey Choice(string name, string description, string def, params string[] choices)
        => new(name, description, SettingKind.Choice, "one of " + string.Join(", ", choices), def, _ => true, choices);

    public static SettingKey Bool(string name, string description, bool def)
        => new(name, description, SettingKind.Boolean, "true or false", def, _ => true);

    public static SettingKey Text(string name, string description)
        => new(name, description, SettingKind.Text, "a text", null, _ => true);

    public static SettingKey Seed(string name, string description)
        => new(name, description, SettingKind.Seed, "an integer in [0, 2⁶⁴)", 0UL, _ => true);

    /// <summary>An integer, also written as a whole number in exponent form (1e3).</summary>
    public static bool TryInt(string s, out int v)
    {
        if (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out v)) return true;
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue)
        {
            v = (int)d;
            return true;
        }
        return false;
    }

    /// <summary>A whole number in long's range, also in exponent form (1e12) when that is exact.</summary>
    public static bool TryLong(string s, out long v)
    {
        if (long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out v)) return true;
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d == Math.Floor(d) && Math.Abs(d) <= 9.007199254740992e15)
        {
            v = (long)d;
            return true;
        }
        return false;
    }

    /// <summary>A finite real number.</summary>
    public static bool TryReal(string s, out double v)
        => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v) && double.IsFinite(v);
}
