using System.Globalization;
using System.Text.RegularExpressions;
using ScottPlot;

namespace Verify.Verification.Reports.Figures;

/// <summary>
/// The common look of every figure: fonts, sizes, colours, log-scale ticks (axes carry log10 values,
/// ticks are labelled with the values themselves), manual legends and SVG output.
/// </summary>
internal static partial class PlotKit
{
    public const int Width = 860;
    public const int Height = 520;

    public static readonly Color Clean = Color.FromHex("#1f77b4");
    public static readonly Color Robust = Color.FromHex("#d62728");
    public static readonly Color Exact = Color.FromHex("#222222");
    public static readonly Color Floor = Color.FromHex("#7f7f7f");
    public static readonly Color Collapse = Color.FromHex("#9467bd");

    /// <summary>Colours for series told apart by a parameter (α/M, α, a cell).</summary>
    public static readonly Color[] Series =
        Color.FromHex(["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]);

    /// <summary>A plot with the report's fonts and sizes, a title and axis labels.</summary>
    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        // ScottPlot's default family resolves to a serif face here; prefer a sans face that the
        // machine has (DejaVu Sans ships with Debian's fontconfig), else let ScottPlot pick one.
        if (SansFamily is { } family) plot.Font.Set(family);
        else plot.Font.Automatic();
        plot.Title(title, 17);
        plot.XLabel(xLabel, 15);
        plot.YLabel(yLabel, 15);
        foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
            axis.TickLabelStyle.FontSize = 13;
        plot.Legend.FontSize = 13;
        return plot;
    }

    private static readonly string? SansFamily = FindSans();

    private static string? FindSans()
    {
        foreach (var family in new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Open Sans" })
            if (Fonts.GetTypeface(family, false, false) is { } face && face.FamilyName == family) return family;
        return null;
    }

    /// <summary>
    /// Why figure text would be missing, or null when a font is there. SkiaSharp's Linux asset
    /// (NoDependencies) reads the font files under /usr/share/fonts itself, without fontconfig; with
    /// no font at all it draws every text as nothing, silently.
    /// </summary>
    public static string? FontProblem()
    {
        if (SansFamily is not null) return null;
        var face = Fonts.GetTypeface(Fonts.Default, false, false);
        return face is { GlyphCount: > 0 } ? null
            : "no font was found under /usr/share/fonts, so the figures have no text (install Debian's fonts-dejavu-core)";
    }

    /// <summary>The SVG document, with a viewBox so that it scales when inlined.</summary>
    public static string Svg(Plot plot, int width = Width, int height = Height)
    {
        string svg = plot.GetSvgXml(width, height);
        return SvgOpenTag().Replace(svg, m => m.Value.Contains("viewBox", StringComparison.Ordinal)
            ? m.Value
            : m.Value[..^1] + $" viewBox=\"0 0 {width} {height}\">", 1);
    }

    [GeneratedRegex("<svg\\b[^>]*>")]
    private static partial Regex SvgOpenTag();

    // ---- log axes ---------------------------------------------------------------------------

    /// <summary>
    /// Ticks for an axis that carries log10 values between <paramref name="lo"/> and <paramref name="hi"/>:
    /// majors at the powers of ten (and at 2× and 5× when the range spans less than two decades), minors
    /// at the other integer multiples; labels are the values themselves (1000, 10⁴, 0.01, 2×10⁵).
    /// </summary>
    public static void LogTicks(IAxis axis, double lo, double hi)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        int k0 = (int)Math.Floor(lo) - 1, k1 = (int)Math.Ceiling(hi) + 1;
        bool dense = hi - lo < 2;
        // One notation per axis: plain numbers while they stay short, else powers of ten throughout.
        bool powers = hi > 4.0001 || lo < -2.0001;
        int majors = 0;
        for (int k = k0; k <= k1; k++)
            for (int j = 1; j <= 9; j++)
            {
                double x = k + Math.Log10(j);
                if (x < lo - 1e-9 || x > hi + 1e-9) continue;
                bool major = j == 1 || (dense && (j == 2 || j == 5));
                if (major) { ticks.AddMajor(x, powers ? PowerLabel(j, k) : ValueLabel(j * Math.Pow(10, k))); majors++; }
                else ticks.AddMinor(x);
            }
        if (majors < 2)
        {
            // Less than a factor of two: label the ends.
            ticks.AddMajor(lo, ValueLabel(Math.Pow(10, lo)));
            ticks.AddMajor(hi, ValueLabel(Math.Pow(10, hi)));
        }
        axis.TickGenerator = ticks;
    }

    /// <summary>Major ticks at exactly these values (already log10 when the axis is), labelled with <paramref name="labels"/>.</summary>
    public static void ManualTicks(IAxis axis, IEnumerable<(double Position, string Label)> ticks)
    {
        var gen = new ScottPlot.TickGenerators.NumericManual();
        foreach (var (p, l) in ticks) gen.AddMajor(p, l);
        axis.TickGenerator = gen;
    }

    /// <summary>j·10^k as a power of ten: "10⁴", "2×10⁵", "10⁻³".</summary>
    public static string PowerLabel(int j, int k)
    {
        string pow = "10" + Superscript(k);
        return j == 1 ? pow : $"{j}×{pow}";
    }

    /// <summary>A value as people write it on an axis: "200", "0.05", "3162", "3.16×10⁴".</summary>
    public static string ValueLabel(double v)
    {
        if (v == 0) return "0";
        if (Math.Abs(v) >= 1e-3 && Math.Abs(v) < 1e4)
        {
            double r = double.Parse(v.ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            return r.ToString(Math.Abs(r) >= 100 ? "0" : "0.####", CultureInfo.InvariantCulture);
        }
        int k = (int)Math.Floor(Math.Log10(Math.Abs(v)));
        double m = v / Math.Pow(10, k);
        string mant = Math.Abs(m - 1) < 0.005 ? "" : m.ToString("0.##", CultureInfo.InvariantCulture) + "×";
        return $"{mant}10{Superscript(k)}";
    }

    private static string Superscript(int k)
    {
        const string digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        string s = Math.Abs(k).ToString(CultureInfo.InvariantCulture);
        return (k < 0 ? "⁻" : "") + string.Concat(s.Select(c => digits[c - '0']));
    }

    /// <summary>The log10 range of positive values, padded by a fraction of a decade on each side.</summary>
    public static (double Lo, double Hi) LogRange(IEnumerable<double> values, double pad = 0.15)
    {
        var logs = values.Where(v => v > 0 && double.IsFinite(v)).Select(Math.Log10).ToList();
        if (logs.Count == 0) return (0, 1);
        double lo = logs.Min(), hi = logs.Max();
        if (hi - lo < 1e-9) { lo -= 0.5; hi += 0.5; }
        return (lo - pad, hi + pad);
    }

    /// <summary>n points spaced evenly in log10 between two log10 values, as values (not logs).</summary>
    public static double[] LogSpace(double lo, double hi, int n)
        => Enumerable.Range(0, n).Select(i => Math.Pow(10, lo + (hi - lo) * i / (n - 1))).ToArray();

    public static double[] LinSpace(double lo, double hi, int n)
        => Enumerable.Range(0, n).Select(i => lo + (hi - lo) * i / (n - 1)).ToArray();

    // ---- drawing helpers --------------------------------------------------------------------

    /// <summary>A line through the finite points only; a gap in the data starts a new segment.</summary>
    public static void Curve(Plot plot, IReadOnlyList<double> xs, IReadOnlyList<double> ys, Color color, float width, LinePattern pattern)
    {
        var segX = new List<double>();
        var segY = new List<double>();
        void Flush()
        {
            if (segX.Count >= 2)
            {
                var line = plot.Add.ScatterLine(segX.ToArray(), segY.ToArray(), color);
                line.LineWidth = width;
                line.LinePattern = pattern;
                line.MarkerSize = 0;
            }
            segX.Clear();
            segY.Clear();
        }
        for (int i = 0; i < xs.Count; i++)
        {
            if (double.IsFinite(xs[i]) && double.IsFinite(ys[i])) { segX.Add(xs[i]); segY.Add(ys[i]); }
            else Flush();
        }
        Flush();
    }

    /// <summary>
    /// The robust error's bracket at each point where both ends are known: a broad translucent bar from the
    /// attack's error (lower end) up to the certified error (upper end). Bars, not a band, so that nothing is
    /// drawn between grid points.
    /// </summary>
    public static void Bracket(Plot plot, IReadOnlyList<double> xs, IReadOnlyList<double> attacked, IReadOnlyList<double?> certified, Color color)
    {
        for (int i = 0; i < xs.Count; i++)
        {
            if (certified[i] is not { } hi || !double.IsFinite(hi) || !double.IsFinite(attacked[i]) || !double.IsFinite(xs[i])) continue;
            var bar = plot.Add.Line(xs[i], attacked[i], xs[i], Math.Max(hi, attacked[i]));
            bar.LineColor = color.WithAlpha(BracketAlpha);
            bar.LineWidth = BracketWidth;
        }
    }

    private const double BracketAlpha = 0.3;
    private const float BracketWidth = 12;

    /// <summary>Measured means with asymmetric error bars (the 95% interval) and markers.</summary>
    public static void Measured(Plot plot, double[] xs, double[] mean, double[] low, double[] high, Color color, MarkerShape shape, bool connect, LinePattern? pattern = null)
    {
        var errUp = mean.Zip(high, (m, h) => double.IsFinite(h) ? Math.Max(0, h - m) : 0).ToArray();
        var errDown = mean.Zip(low, (m, l) => double.IsFinite(l) ? Math.Max(0, m - l) : 0).ToArray();
        var bars = new ScottPlot.Plottables.ErrorBar(xs, mean, null, null, errUp, errDown)
        {
            LineColor = color,
            LineWidth = 1.5f,
            CapSize = 6,
        };
        plot.Add.Plottable(bars);
        var pts = plot.Add.Scatter(xs, mean, color);
        pts.MarkerShape = shape;
        pts.MarkerSize = 9;
        pts.LineWidth = connect ? 1.5f : 0;
        pts.LinePattern = pattern ?? LinePattern.Solid;
    }

    public static void HorizontalLine(Plot plot, double y, Color color, LinePattern pattern, float width = 1.5f)
    {
        var h = plot.Add.HorizontalLine(y, width, color, pattern);
        h.ExcludeFromLegend = true;
    }

    /// <summary>A vertical line; its label, if any, sits above the data area (on the top edge), clear of the data.</summary>
    public static void VerticalLine(Plot plot, double x, Color color, LinePattern pattern, float width = 2f, string? label = null)
    {
        var v = plot.Add.VerticalLine(x, width, color, pattern);
        v.ExcludeFromLegend = true;
        if (label is null) return;
        v.Text = label;
        v.LabelOppositeAxis = true;
        v.LabelFontSize = 13;
        v.LabelBackgroundColor = color;
        v.LabelFontColor = Colors.White;
        // Room for the label between the data area and the title.
        plot.Axes.Top.MinimumSize = Math.Max(plot.Axes.Top.MinimumSize, 30);
    }

    /// <summary>A text placed in data coordinates.</summary>
    public static void Note(Plot plot, string text, double x, double y, Color color, Alignment alignment, float size = 12, float rotation = 0)
    {
        var t = plot.Add.Text(text, x, y);
        t.LabelFontSize = size;
        t.LabelFontColor = color;
        t.LabelAlignment = alignment;
        t.LabelRotation = rotation;
        t.LabelBackgroundColor = Colors.White.WithAlpha(0.8);
    }

    // ---- legends ----------------------------------------------------------------------------

    public static LegendItem LineItem(string label, Color color, LinePattern pattern, float width = 2f) => new()
    {
        LabelText = label,
        LineColor = color,
        LineWidth = width,
        LinePattern = pattern,
        MarkerShape = MarkerShape.None,
    };

    /// <summary>A legend entry for the bracket bars of <see cref="Bracket"/>.</summary>
    public static LegendItem BracketItem(string label, Color color) => new()
    {
        LabelText = label,
        LineStyle = new LineStyle { Width = BracketWidth, Color = color.WithAlpha(BracketAlpha) },
    };

    public static LegendItem MarkerItem(string label, Color color, MarkerShape shape, bool line = false, LinePattern? pattern = null) => new()
    {
        LabelText = label,
        LineColor = color,
        LineWidth = line ? 1.5f : 0,
        LinePattern = pattern ?? LinePattern.Solid,
        MarkerShape = shape,
        MarkerSize = 9,
        MarkerFillColor = color,
        MarkerLineColor = color,
    };

    /// <summary>Shows exactly these legend items, one per line, in a panel below the data area (never over the data).</summary>
    public static void LegendBelow(Plot plot, IEnumerable<LegendItem> items)
    {
        plot.Legend.ManualItems.Clear();
        plot.Legend.ManualItems.AddRange(items);
        plot.Legend.Orientation = Orientation.Vertical;
        plot.Legend.SymbolWidth = 32;
        plot.ShowLegend(Edge.Bottom);
    }

    /// <summary>Shows exactly these legend items in a panel right of the data area.</summary>
    public static void LegendRight(Plot plot, IEnumerable<LegendItem> items)
    {
        plot.Legend.ManualItems.Clear();
        plot.Legend.ManualItems.AddRange(items);
        plot.Legend.Orientation = Orientation.Vertical;
        plot.Legend.SymbolWidth = 32;
        plot.ShowLegend(Edge.Right);
    }
}

/// <summary>A colour scale over a fixed range, for a <see cref="ScottPlot.Panels.ColorBar"/> next to hand-drawn cells.</summary>
internal sealed class ColorScale(IColormap colormap, double min, double max) : IHasColorAxis
{
    public IColormap Colormap { get; set; } = colormap;
    public double Min { get; } = min;
    public double Max { get; } = max;

    public ScottPlot.Range GetRange() => new(Min, Max);

    public Color ColorOf(double value)
        => Colormap.GetColor(Math.Clamp((value - Min) / (Max - Min), 0, 1));
}
