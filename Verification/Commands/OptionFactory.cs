using Verify.Simulation.Settings;
using System.CommandLine;
using System.Globalization;
using Verify.Verification.Settings;

namespace Verify.Verification.Commands;

/// <summary>
/// Typed options whose parse errors name the option, the text given and what is allowed
/// (System.CommandLine's own message names only the CLR type).
/// </summary>
internal static class OptionFactory
{
    public static Option<double> Number(string name, string description, double defaultValue, string allowed)
        => new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => ParseNumber(r, name, allowed) ?? defaultValue,
        };

    public static Option<double?> OptionalNumber(string name, string description, string allowed)
        => new(name) { Description = description, CustomParser = r => ParseNumber(r, name, allowed) };

    /// <summary>The last token as a number; null (with a named error added) when absent or not a number.</summary>
    private static double? ParseNumber(System.CommandLine.Parsing.ArgumentResult r, string name, string allowed)
    {
        if (r.Tokens.Count == 0) return null;
        string text = r.Tokens[^1].Value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) return v; // ±∞ and NaN too: the caller's range check names them
        r.AddError($"{name} = '{text}' is not a number; allowed: {allowed}");
        return null;
    }

    public static Option<int> Integer(string name, string description, int defaultValue, string allowed)
        => new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r =>
            {
                if (r.Tokens.Count == 0) return defaultValue;
                string text = r.Tokens[^1].Value;
                if (Setting.TryInt(text, out int v)) return v; // 1e3-style whole numbers too, as in configs
                r.AddError($"{name} = '{text}' is not an integer; allowed: {allowed}");
                return defaultValue;
            },
        };

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    public const string BlasName = "--blas";

    /// <summary>The dense-kernel choice of the commands that train; read (and checked) once by <see cref="VerifyCli"/>.</summary>
    public static Option<string> Blas() => new(BlasName)
    {
        Description = "dense kernel: auto (the faster of the managed kernel and OpenBLAS on this machine, measured once and cached), " +
                      $"managed or openblas [default: ${Simulation.Kernels.Backend.EnvironmentVariable}, else auto]",
    };
}
