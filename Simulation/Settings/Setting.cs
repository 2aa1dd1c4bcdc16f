using System.Globalization;
using System.Text.Json;

namespace Verify.Simulation.Settings;

/// <summary>
/// One named setting of a run: its name (camelCase in files and results, --kebab-case as an option), meaning,
/// symbol, unit, allowed values and default. Text is parsed once, here; from then on a value is typed, and its
/// canonical text (<see cref="Format"/>) is what names a cell and its result file. Code holds a
/// <see cref="Setting{T}"/> declared in <see cref="Keys"/>, never the name.
/// </summary>
public abstract class Setting
{
    private protected Setting(string name, string description, string allowed, string? symbol, string? unit)
    {
        Name = name;
        Description = description;
        Allowed = allowed;
        Symbol = symbol ?? name;
        Unit = unit;
    }

    public string Name { get; }
    public string Description { get; }
    /// <summary>The allowed values, in words ("an integer in [1, 2147483647]").</summary>
    public string Allowed { get; }
    /// <summary>The paper's symbol (α, M, β), or the name where it has none; tables and figure labels use it.</summary>
    public string Symbol { get; }
    /// <summary>The unit of a quantity that has one, in words.</summary>
    public string? Unit { get; }

    /// <summary>--learning-rate for learningRate.</summary>
    public string OptionName => "--" + string.Concat(Name.Select(c => char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>The help text of the option or config key: meaning, unit, allowed values, default.</summary>
    public string Help => $"{Description}{(Unit is { } u ? $" ({u})" : "")}; {Allowed}" + (DefaultText is { } d ? $" [default: {d}]" : "");

    /// <summary>The default, boxed, or null when the setting has none (it is then absent unless given).</summary>
    public abstract object? DefaultValue { get; }
    public string? DefaultText => DefaultValue is { } v ? Format(v) : null;

    /// <summary>Whole numbers (a range axis of such a setting is rounded).</summary>
    public abstract bool IsWhole { get; }

    /// <summary>The type of the values (int, long, double, bool, ulong, string or a choice's enum).</summary>
    public abstract Type ValueType { get; }

    /// <summary>A quantity (int, long or double): tables align it as a number.</summary>
    public bool IsNumber => ValueType == typeof(int) || ValueType == typeof(long) || ValueType == typeof(double);

    /// <summary>The setting that sets the same quantity another way (α and α/M): never both in one run.</summary>
    public Setting? Excludes { get; internal set; }

    /// <summary>
    /// A setting added after results were first stored, whose default reproduces what every run did before it
    /// existed: at that value it is left out of a run's identity, so results stored before it keep their ids.
    /// </summary>
    public bool AddedLater { get; internal set; }

    /// <summary>Whether <paramref name="value"/> belongs in a run's identity (<see cref="AddedLater"/> settings at their default do not).</summary>
    public bool InIdentity(object value) => !(AddedLater && value.Equals(DefaultValue));

    /// <summary>The typed value of <paramref name="text"/>, boxed, or null when it is not an allowed value.</summary>
    public abstract object? TryParseBoxed(string text);

    /// <summary>The typed value of <paramref name="text"/>; an input error naming the setting, the text and what is allowed otherwise.</summary>
    public object Parse(string text, string where)
        => TryParseBoxed(text) ?? throw InvalidInputException.MustBe(Name, $"'{text}'", Allowed, where);

    /// <summary>A typed value checked against this setting (for values built in code rather than parsed).</summary>
    public abstract bool Accepts(object value);

    /// <summary>The canonical text: invariant, round-trip exact for reals, the lower-case name of a choice.</summary>
    public abstract string Format(object value);

    /// <summary>The value from JSON as <see cref="Write"/> writes it: a number for a quantity or a seed, a boolean, else a string; null for anything else.</summary>
    public object? TryRead(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number when IsNumber || ValueType == typeof(ulong) => TryParseBoxed(e.GetRawText()),
        JsonValueKind.True or JsonValueKind.False when ValueType == typeof(bool) => TryParseBoxed(e.GetRawText()),
        JsonValueKind.String when !IsNumber && ValueType != typeof(ulong) && ValueType != typeof(bool) => TryParseBoxed(e.GetString()!),
        _ => null,
    };

    /// <summary>The value as JSON: numbers and booleans as such, everything else as its canonical text.</summary>
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

    public override string ToString() => Name;

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

/// <summary>A setting whose values are <typeparamref name="T"/>: the compiler checks every read and write of it.</summary>
public sealed class Setting<T> : Setting where T : notnull
{
    private readonly Func<string, (bool Ok, T Value)> _parse;
    private readonly Func<T, string> _format;
    private readonly Func<T, bool> _ok;
    private readonly bool _hasDefault;
    private readonly T _default;

    internal Setting(string name, string description, string allowed, Func<string, (bool Ok, T Value)> parse, Func<T, string> format,
        Func<T, bool> ok, bool hasDefault, T @default, string? symbol = null, string? unit = null, bool whole = false)
        : base(name, description, allowed, symbol, unit)
    {
        _parse = parse;
        _format = format;
        _ok = ok;
        _hasDefault = hasDefault;
        _default = @default;
        IsWhole = whole;
    }

    /// <summary>The default; only for a setting that has one (<see cref="HasDefault"/>).</summary>
    public T Default => _hasDefault ? _default : throw new InvalidOperationException($"{Name} has no default");
    public bool HasDefault => _hasDefault;
    public override object? DefaultValue => _hasDefault ? _default : null;
    public override bool IsWhole { get; }
    public override Type ValueType => typeof(T);

    /// <summary>The typed value of <paramref name="text"/>, or false when it is not an allowed value.</summary>
    public bool TryParse(string text, out T value)
    {
        text = text.Trim();
        (bool ok, value) = text.Length == 0 ? (false, default!) : _parse(text);
        ok = ok && _ok(value);
        if (!ok) value = default!;
        return ok;
    }

    public override object? TryParseBoxed(string text) => TryParse(text, out T v) ? v : null;

    public override bool Accepts(object value) => value is T v && _ok(v);

    /// <summary>Whether <paramref name="value"/> is allowed.</summary>
    public bool Allows(T value) => _ok(value);

    /// <summary><paramref name="value"/> when it is allowed; otherwise the input error "name = value is not allowed: must be …".</summary>
    public T Check(T value) => _ok(value) ? value : throw InvalidInputException.MustBe(Name, Format(value), Allowed);

    public string Format(T value) => _format(value);
    public override string Format(object value) => value is T v ? _format(v) : throw new ArgumentException($"{Name}: a {value.GetType().Name} is not a value of this setting", nameof(value));
}
