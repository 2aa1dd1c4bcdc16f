using System.Globalization;

namespace Verify.Verification.Text;

/// <summary>Number formatting for people: 4 significant digits, ∞ and — for the special cases.</summary>
internal static class Fmt
{
    public static string Num(double v, int digits = 4)
    {
        if (double.IsPositiveInfinity(v)) return "+∞";
        if (double.IsNegativeInfinity(v)) return "−∞";
        if (double.IsNaN(v)) return "NaN";
        if (v != 0 && (Math.Abs(v) >= 1e6 || Math.Abs(v) < 1e-3))
            return v.ToString("0.###e+0", CultureInfo.InvariantCulture);
        if (Math.Abs(v) >= 1000) return v.ToString("0", CultureInfo.InvariantCulture);
        return v.ToString("G" + digits, CultureInfo.InvariantCulture);
    }

    public static string Num(double? v, int digits = 4) => v is { } x ? Num(x, digits) : "—";

    /// <summary>"+0.12", "−0.034" (a typographic minus), "—" for NaN: a difference.</summary>
    public static string Signed(double v, int digits = 2) => double.IsNaN(v) ? "—" : (v >= 0 ? "+" : "−") + Num(Math.Abs(v), digits);

    /// <summary>"1 h 02 min", "3 min 05 s", "12.3 s".</summary>
    public static string Duration(double seconds)
    {
        if (!double.IsFinite(seconds)) return "?";
        var t = TimeSpan.FromSeconds(seconds);
        if (t.TotalHours >= 1) return $"{(int)t.TotalHours} h {t.Minutes:00} min";
        if (t.TotalMinutes >= 1) return $"{(int)t.TotalMinutes} min {t.Seconds:00} s";
        return seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
    }

    public static string Inv(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
