using ScottPlot;
using Verify.Verification.Analysis;
using Verify.Verification.Output;
using Verify.Verification.Text;

namespace Verify.Verification.Reports.Figures;

/// <summary>
/// Heatmaps of the mean clean and robust test error over (M, d) at one α/M, log axes, with the
/// HEURISTIC phase boundaries d(M) of the linearized interpolator and the measured crossings
/// of the fitted boundary drawn on top.
/// </summary>
internal static class HeatmapFigures
{
    public const int MaxRatios = 3;

    /// <summary>The α/M values that have a full enough (M, d) grid: ≥ 2 values of each.</summary>
    public static IReadOnlyList<double> Ratios(IReadOnlyList<CellSummary> family)
    {
        var ok = family.GroupBy(c => CellGroups.Key(c.Parameters.AlphaOverMu))
            .Where(g => g.Select(c => c.Parameters.Mu).Distinct().Count() >= 2 && g.Select(c => c.Parameters.D).Distinct().Count() >= 2)
            .Select(g => g.Key).Order().ToList();
        // At α ≥ M every robust error is ≥ 1/2 (Theorem 3.2): such maps show nothing of the boundaries.
        if (ok.Any(r => r < 1)) ok = ok.Where(r => r < 1).ToList();
        return CellGroups.Spread(ok, MaxRatios);
    }

    public static Figure Draw(IReadOnlyList<CellSummary> family, double ratio, bool robust, ExperimentSummary summary, string? familyNote)
    {
        var cells = family.Where(c => CellGroups.Key(c.Parameters.AlphaOverMu) == ratio).ToList();
        double[] mus = cells.Select(c => c.Parameters.Mu).Distinct().Order().ToArray();
        double[] ds = cells.Select(c => c.Parameters.D).Distinct().Order().ToArray();
        double beta = cells[0].Parameters.Beta;
        string metric = robust ? "robust" : "clean";
        string ratioText = Fmt.Num(ratio);

        var plot = PlotKit.NewPlot($"Mean {metric} test error over (M, d) at α/M = {ratioText}", "M = ‖μ‖ (signal norm, log scale)", "d (input dimension, log scale)");
        double[] xEdges = Edges(mus.Select(Math.Log10).ToArray());
        double[] yEdges = Edges(ds.Select(Math.Log10).ToArray());

        // Cells: colour = mean error over seeds; the number is written in the cell.
        // One colour scale for the clean and the robust map of a pair, so that a colour means one error in both.
        var values = cells.SelectMany(c => new[] { c.Measured.CleanTest.Mean, c.Measured.RobustTest.Mean }).Where(double.IsFinite).ToList();
        double lo = Math.Min(beta, values.DefaultIfEmpty(beta).Min());
        double hi = Math.Max(0.5, values.DefaultIfEmpty(0.5).Max());
        var scale = new ColorScale(new ScottPlot.Colormaps.Viridis(), lo, hi);
        for (int i = 0; i < mus.Length; i++)
            for (int j = 0; j < ds.Length; j++)
            {
                var here = cells.Where(c => c.Parameters.Mu == mus[i] && c.Parameters.D == ds[j]).ToList();
                double v = here.Count == 0 ? double.NaN : here.Average(c => Mean(c, robust));
                var rect = plot.Add.Rectangle(xEdges[i], xEdges[i + 1], yEdges[j], yEdges[j + 1]);
                rect.LineWidth = 1;
                rect.LineColor = Colors.White;
                rect.FillColor = double.IsFinite(v) ? scale.ColorOf(v) : Colors.LightGray;
                double cx = 0.5 * (xEdges[i] + xEdges[i + 1]), cy = 0.5 * (yEdges[j] + yEdges[j + 1]);
                if (mus.Length <= 10 && ds.Length <= 12)
                {
                    var t = plot.Add.Text(double.IsFinite(v) ? v.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : "—", cx, cy);
                    t.LabelFontSize = 12;
                    t.LabelAlignment = Alignment.MiddleCenter;
                    t.LabelFontColor = (v - lo) / (hi - lo) > 0.55 ? Colors.Black : Colors.White;
                }
            }

        // HEURISTIC boundaries at this α/M, dense in M.
        double[] mDense = PlotKit.LogSpace(xEdges[0], xEdges[^1], 200);
        double eps = summary.Experiment.Constants.Epsilon;
        var at = cells[0].Parameters;
        var cleanD = mDense.Select(m => Log(PhaseBoundaries.HeuristicBoundary(at with { Mu = m }, "clean", ratio, eps))).ToArray();
        var robustD = mDense.Select(m => Log(PhaseBoundaries.HeuristicBoundary(at with { Mu = m }, "robust", ratio, eps))).ToArray();
        var mLog = mDense.Select(Math.Log10).ToArray();
        var cleanColor = Color.FromHex("#ff9f1c");
        var robustColor = Color.FromHex("#ff4f9a");
        // A dark halo under each boundary keeps it visible on both ends of the colour map.
        PlotKit.Curve(plot, mLog, cleanD, Colors.Black, 6, LinePattern.Solid);
        PlotKit.Curve(plot, mLog, cleanD, cleanColor, 3, LinePattern.Solid);
        var legend = new List<LegendItem>();
        if (ratio > 0)
        {
            PlotKit.Curve(plot, mLog, robustD, Colors.Black, 6, LinePattern.Solid);
            PlotKit.Curve(plot, mLog, robustD, robustColor, 3, LinePattern.Dashed);
            legend.Add(PlotKit.LineItem("clean boundary d(M): predicted error = β + ε (HEURISTIC)", cleanColor, LinePattern.Solid, 3));
            legend.Add(PlotKit.LineItem($"robust boundary d(M) at α/M = {ratioText} (HEURISTIC)", robustColor, LinePattern.Dashed, 3));
        }
        else
            legend.Add(PlotKit.LineItem("clean boundary d(M), also the robust one at α = 0: predicted error = β + ε (HEURISTIC)", cleanColor, LinePattern.Solid, 3));

        // Where the measured error crosses β + ε (the points of the fitted phase boundary).
        var fit = summary.Findings.Fits.FirstOrDefault(f => MetricMatches(f.Metric, robust) && CellGroups.Key(f.AlphaOverMu) == ratio);
        if (fit is { Points.Count: > 0 })
        {
            var pts = fit.Points.Where(p => p.Mu > 0 && p.D > 0).ToList();
            double[] px = pts.Select(p => Math.Log10(p.Mu)).ToArray(), py = pts.Select(p => Math.Log10(p.D)).ToArray();
            plot.Add.Markers(px, py, MarkerShape.FilledDiamond, 15, Colors.Black);
            plot.Add.Markers(px, py, MarkerShape.FilledDiamond, 10, CrossingColor);
            string slope = double.IsFinite(fit.Slope)
                ? $"fitted slope {Fmt.Num(fit.Slope, 3)}" + (double.IsFinite(fit.SlopeLow95) ? $" [{Fmt.Num(fit.SlopeLow95, 3)}, {Fmt.Num(fit.SlopeHigh95, 3)}]" : "") + $", theory {Fmt.Num(fit.TheorySlope)}"
                : $"too few for a slope; theory {Fmt.Num(fit.TheorySlope)}";
            legend.Add(PlotKit.MarkerItem($"measured crossing of β + ε ({slope})", CrossingColor, MarkerShape.FilledDiamond));
        }

        // Ticks at the grid values themselves: each labels a row or column of cells.
        PlotKit.ManualTicks(plot.Axes.Bottom, mus.Select(m => (Math.Log10(m), PlotKit.ValueLabel(m))));
        PlotKit.ManualTicks(plot.Axes.Left, ds.Select(d => (Math.Log10(d), PlotKit.ValueLabel(d))));
        plot.Axes.SetLimits(xEdges[0], xEdges[^1], yEdges[0], yEdges[^1]);
        plot.HideGrid();
        var bar = plot.Add.ColorBar(scale, Edge.Right);
        bar.Label = $"mean {metric} test error";
        bar.LabelStyle.FontSize = 14;
        PlotKit.LegendBelow(plot, legend);

        string name = $"heatmap-{metric}-ratio-{Slug(ratio)}";
        string caption = $"Mean {metric} test error (noisy labels, mean over seeds) for each (M, d) at α/M = {ratioText}; the number in each cell is the mean. "
            + $"Lines: the HEURISTIC phase boundaries of the linearized interpolator, where its predicted error reaches β + ε with ε = {Fmt.Num(eps)} "
            + BoundarySlopes(mLog, cleanD, ratio > 0 ? robustD : null)
            + (fit is { Points.Count: > 0 } ? "Diamonds: where the measured error crosses β + ε between grid points (the points of the fitted boundary). " : "")
            + (familyNote ?? "");
        return new Figure(name, $"{Cap(metric)} test error over (M, d), α/M = {ratioText}", caption.TrimEnd(), PlotKit.Svg(plot, 860, 680));
    }

    /// <summary>
    /// The slopes the drawn HEURISTIC boundaries have over the plotted M (least squares in log M – log d),
    /// beside the STATED asymptotic slopes: at finite M the robust boundary is still bending from 4 towards 2.
    /// </summary>
    private static string BoundarySlopes(double[] mLog, double[] cleanD, double[]? robustD)
    {
        static double Slope(double[] x, double[] y)
        {
            var ok = x.Zip(y).Where(t => double.IsFinite(t.Second)).ToList();
            return ok.Count < 2 ? double.NaN : Statistics.LinearFit(ok.Select(t => t.First).ToList(), ok.Select(t => t.Second).ToList()).Slope;
        }
        string Part(string what, double slope, int stated) => double.IsFinite(slope)
            ? $"{what} boundary: slope {Fmt.Num(slope, 3)} over the plotted M, against the STATED asymptotic slope {stated}"
            : $"{what} boundary not inside the plotted range";
        var parts = new List<string> { Part("clean", Slope(mLog, cleanD), 4) };
        if (robustD is not null) parts.Add(Part("robust", Slope(mLog, robustD), 2));
        return "(" + string.Join("; ", parts) + "). ";
    }

    private static readonly Color CrossingColor = Color.FromHex("#00d0ff");

    private static double Mean(CellSummary c, bool robust) => robust ? c.Measured.RobustTest.Mean : c.Measured.CleanTest.Mean;

    private static bool MetricMatches(string metric, bool robust)
        => metric.Contains(robust ? "robust" : "clean", StringComparison.OrdinalIgnoreCase);

    private static double Log(double? d) => d is { } v && v > 0 && double.IsFinite(v) ? Math.Log10(v) : double.NaN;

    /// <summary>Cell edges around sorted centres: midpoints inside, half a neighbouring step outside.</summary>
    public static double[] Edges(double[] centres)
    {
        var e = new double[centres.Length + 1];
        for (int i = 1; i < centres.Length; i++) e[i] = 0.5 * (centres[i - 1] + centres[i]);
        e[0] = centres[0] - (e[1] - centres[0]);
        e[^1] = centres[^1] + (centres[^1] - e[^2]);
        return e;
    }

    public static string Slug(double v) => Fmt.Inv(v).Replace('.', 'p').Replace('-', 'm').Replace('+', 'p');

    private static string Cap(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}
