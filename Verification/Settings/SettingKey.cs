using System.Globalization;

namespace Verify.Verification.Settings;

/// <summary>
/// One named setting of a run, shared by `verify train` options (--kebab-case) and experiment
/// configs (camelCase keys): the same name, meaning, allowed range and parser everywhere.
/// </summary>
public sealed record SettingKey(string Name, string Description, string Allowed, string? Default, Func<string, bool> IsValid)
{
    /// <summary>--learning-rate for learningRate.</summary>
    public string OptionName => "--" + string.Concat(Name.Select(c => char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : c.ToString()));

    public static SettingKey Int(string name, string description, int? def, int min, int max = int.MaxValue)
        => new(name, description, max == int.MaxValue ? $"an integer ≥ {min}" : $"an integer in [{min}, {max}]",
            def?.ToString(CultureInfo.InvariantCulture),
            s => TryInt(s, out int v) && v >= min && v <= max);

    public static SettingKey Real(string name, string description, double? def, string allowed, Func<double, bool> ok)
        => new(name, description, allowed, def?.ToString("R", CultureInfo.InvariantCulture),
            s => TryReal(s, out double v) && ok(v));

    public static SettingKey Choice(string name, string description, string def, params string[] choices)
        => new(name, description, "one of " + string.Join(", ", choices), def,
            s => choices.Contains(s, StringComparer.OrdinalIgnoreCase));

    public static SettingKey Bool(string name, string description, bool def)
        => new(name, description, "true or false", def ? "true" : "false", s => bool.TryParse(s, out _));

    public static SettingKey Text(string name, string description, string? def)
        => new(name, description, "a text", def, s => s.Length > 0);

    public static bool TryInt(string s, out int v)
    {
        if (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out v)) return true;
        // Accept 1e3-style whole numbers.
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue)
        {
            v = (int)d;
            return true;
        }
        return false;
    }

    public static bool TryReal(string s, out double v)
        => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v) && double.IsFinite(v);
}
