using ScottPlot;
using Verify.Verification.Output;
using Verify.Verification.Reports.Figures;
using Verify.Verification.Text;
using Verify.Verification.Experiments;

namespace Verify.Verification.Boundaries;

/// <summary>The boundary report's figures: the boundary d(M) in log–log, and its local slope against M.</summary>
internal static class BoundaryFigures
{
    public static IReadOnlyList<Figure> Draw(BoundarySummary s)
    {
        var families = s.Families.Where(f => f.Located.Count > 0).ToList();
        if (families.Count == 0) return [];
        var figures = new List<Figure> { Boundary(s, families) };
        if (families.Any(f => f.Local.Count > 0)) figures.Add(LocalSlopes(s, families.Where(f => f.Local.Count > 0).ToList()));
        return figures;
    }

    private static Figure Boundary(BoundarySummary s, IReadOnlyList<BoundaryFamily> families)
    {
        string metric = BoundarySpec.Describe(s.Spec.Metric);
        var plot = PlotKit.NewPlot($"Where the {metric} crosses the threshold", "M = ||μ||/σ (log scale)", "d at the crossing (log scale)");
        var legend = new List<LegendItem> { PlotKit.MarkerItem("measured: the crossing; bar: the bracket", PlotKit.Floor, MarkerShape.FilledCircle) };
        var mus = families.SelectMany(f => f.Located.Select(c => c.Curve.Parameters.MuInNoiseUnits)).ToList();
        var ds = families.SelectMany(f => f.Located.SelectMany(c => new[] { c.CrossingLow, c.CrossingHigh })).ToList();
        var (xlo, xhi) = PlotKit.LogRange(mus, 0.1);
        var (ylo, yhi) = PlotKit.LogRange(ds, 0.3);
        for (int i = 0; i < families.Count; i++)
        {
            var f = families[i];
            var color = PlotKit.Series[i % PlotKit.Series.Length];
            var pts = f.Located;
            PlotKit.Measured(plot, pts.Select(c => Math.Log10(c.Curve.Parameters.MuInNoiseUnits)).ToArray(), pts.Select(c => Math.Log10(c.Estimate)).ToArray(),
                pts.Select(c => Math.Log10(c.CrossingLow)).ToArray(), pts.Select(c => Math.Log10(c.CrossingHigh)).ToArray(), color, MarkerShape.FilledCircle, connect: true);
            var dense = PlotKit.LogSpace(xlo, xhi, 120);
            var h = dense.Select(m => Heuristic(s, f, m)).ToArray();
            PlotKit.Curve(plot, dense.Select(Math.Log10).ToArray(), h.Select(v => v is { } x && x > 0 && double.IsFinite(x) ? Math.Log10(x) : double.NaN).ToArray(), color, 2, LinePattern.Dashed);
            legend.Add(PlotKit.MarkerItem(Name(f), color, MarkerShape.FilledCircle, line: true));
        }
        legend.Add(PlotKit.LineItem("HEURISTIC boundary (linearized interpolator, no fitted constant)", PlotKit.Floor, LinePattern.Dashed));
        PlotKit.LogTicks(plot.Axes.Bottom, xlo, xhi);
        PlotKit.LogTicks(plot.Axes.Left, ylo, yhi);
        plot.Axes.SetLimits(xlo, xhi, ylo, yhi);
        PlotKit.LegendBelow(plot, legend);
        int total = s.Curves.Count, located = families.Sum(f => f.Located.Count);
        string caption = $"For each M, the d at which the seed-mean {metric} crosses the threshold, found by bisection in log d "
            + "(marker: where the measured means, joined linearly in log d, reach the threshold; bar: the bracket, from the largest d decided below the threshold "
            + "to the smallest decided above it, each by its 95% interval). "
            + $"{located} of {total} searches located a boundary in d ∈ [{Fmt.Num(s.Spec.DFrom)}, {Fmt.Num(s.Spec.DTo)}]. "
            + "Dashed: the HEURISTIC boundary at the same threshold. The STATED laws are slopes (4 clean, 2 robust at fixed α/M), not lines through these points.";
        return new Figure("boundary-d-vs-m", "The boundary d(M)", caption, PlotKit.Svg(plot, 1000, Height(legend.Count)));
    }

    private static Figure LocalSlopes(BoundarySummary s, IReadOnlyList<BoundaryFamily> families)
    {
        var plot = PlotKit.NewPlot("Local slope of the boundary, d log d / d log M", "M = ||μ||/σ (log scale, between the two neighbours)", "local slope");
        var legend = new List<LegendItem> { PlotKit.MarkerItem("measured between neighbouring M; bar: the slopes the two brackets allow", PlotKit.Floor, MarkerShape.FilledCircle) };
        var mus = families.SelectMany(f => f.Located.Select(c => c.Curve.Parameters.MuInNoiseUnits)).ToList();
        var (xlo, xhi) = PlotKit.LogRange(mus, 0.05);
        double ymin = 0, ymax = 5;
        for (int i = 0; i < families.Count; i++)
        {
            var f = families[i];
            var color = PlotKit.Series[i % PlotKit.Series.Length];
            var l = f.Local;
            double shift = (i - (families.Count - 1) / 2.0) * 0.012; // side by side, so that bars at the same M do not hide each other
            PlotKit.Measured(plot, l.Select(x => Math.Log10(x.MuMiddle) + shift).ToArray(), l.Select(x => x.Slope).ToArray(), l.Select(x => x.Low).ToArray(), l.Select(x => x.High).ToArray(),
                color, MarkerShape.FilledCircle, connect: true);
            var dense = PlotKit.LogSpace(xlo, xhi, 120);
            var slope = dense.Select(m => HeuristicLocalSlope(s, f, m)).ToArray();
            PlotKit.Curve(plot, dense.Select(Math.Log10).ToArray(), slope, color, 2, LinePattern.Dashed);
            legend.Add(PlotKit.MarkerItem(Name(f), color, MarkerShape.FilledCircle, line: true));
            ymin = Math.Min(ymin, l.Select(x => x.Low).Where(double.IsFinite).DefaultIfEmpty(0).Min());
            ymax = Math.Max(ymax, l.Select(x => x.High).Where(double.IsFinite).DefaultIfEmpty(0).Max());
        }
        // One legend line for both asymptotes: ScottPlot's legend below the plot shows at most seven lines.
        PlotKit.HorizontalLine(plot, 4, PlotKit.Exact, LinePattern.Dotted, 2);
        PlotKit.HorizontalLine(plot, 2, PlotKit.Exact, LinePattern.Dotted, 2);
        legend.Add(PlotKit.LineItem("HEURISTIC local slope", PlotKit.Floor, LinePattern.Dashed));
        legend.Add(PlotKit.LineItem("STATED asymptotes: 4 (clean, d ≲ n·M⁴) and 2 (robust at fixed α/M, d ≲ n·M²/(α/M)²)", PlotKit.Exact, LinePattern.Dotted));
        PlotKit.LogTicks(plot.Axes.Bottom, xlo, xhi);
        plot.Axes.SetLimits(xlo, xhi, Math.Max(-2, ymin - 0.3), Math.Min(12, ymax + 0.3));
        PlotKit.LegendBelow(plot, legend);
        string caption = "The slope of log d on log M between each pair of neighbouring M at which a boundary was located, drawn at their geometric middle (curves shifted slightly sideways so that their bars stay apart). "
            + "Bars: the range of slopes consistent with the two brackets of the first figure (each crossing anywhere in its bracket); this is not a confidence interval. "
            + "Dashed: the HEURISTIC boundary's local slope (derivative of its log d in log M). Dotted: the asymptotes the paper states.";
        return new Figure("local-slope", "Local slope of the boundary against M", caption, PlotKit.Svg(plot, 1000, Height(legend.Count)));
    }

    /// <summary>Room for the data area and a legend of that many lines below it.</summary>
    private static int Height(int legendLines) => 620 + 28 * legendLines;

    private static string Name(BoundaryFamily f) => f.Label == "all" ? "boundary" : f.Label;

    private static double? Heuristic(BoundarySummary s, BoundaryFamily f, double mu)
    {
        var c = f.Curves[0].Curve;
        var moved = c with { Parameters = c.Parameters with { Mu = mu * c.Parameters.NoiseScale, Alpha = f.AlphaOverMu * mu * c.Parameters.NoiseScale } };
        if (double.IsNaN(f.AlphaOverMu)) return null;
        double threshold = BoundaryRunner.Threshold(s.Spec, moved, s.Epsilon);
        return BoundaryRunner.HeuristicBoundary(moved, s.Spec, threshold - moved.Parameters.Beta);
    }

    private static double HeuristicLocalSlope(BoundarySummary s, BoundaryFamily f, double mu)
    {
        const double h = 0.01; // in ln M
        var (a, b) = (Heuristic(s, f, mu * Math.Exp(-h)), Heuristic(s, f, mu * Math.Exp(h)));
        return a is { } x && b is { } y && x > 0 && y > 0 && double.IsFinite(x) && double.IsFinite(y) ? (Math.Log(y) - Math.Log(x)) / (2 * h) : double.NaN;
    }
}
