using ScottPlot;
using Verify.Verification.Analysis;
using Verify.Verification.Output;
using Verify.Verification.Text;

namespace Verify.Verification.Reports.Figures;

/// <summary>The mean robust training loss against the iteration for a few representative cells (Theorem 3.1: it goes to zero).</summary>
internal static class TrainingCurveFigure
{
    public const int MaxCells = 4;

    /// <summary>Cells spread over the range of measured robust test error, each with a curve of at least two points.</summary>
    public static IReadOnlyList<CellSummary> Representatives(IReadOnlyList<CellSummary> cells)
    {
        var withCurve = cells.Where(c => c.Curve is { Iteration.Length: >= 2 } && c.Curve.RobustLoss.Length == c.Curve.Iteration.Length
                && c.Curve.RobustLoss.Any(double.IsFinite))
            .OrderBy(c => double.IsFinite(c.Measured.RobustTest.Mean) ? c.Measured.RobustTest.Mean : double.MaxValue).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
        return CellGroups.Spread(withCurve, MaxCells);
    }

    public static Figure Draw(IReadOnlyList<CellSummary> chosen)
    {
        var varying = CellGroups.VaryingKeys(chosen);
        var positive = chosen.SelectMany(c => c.Curve.RobustLoss).Where(v => v > 0 && double.IsFinite(v)).ToList();
        bool log = positive.Count > 0 && positive.Max() / positive.Min() >= 100;

        var plot = PlotKit.NewPlot("Robust training loss during adversarial training", "iteration",
            log ? "robust training loss (mean over seeds, log scale)" : "robust training loss (mean over seeds)");
        var legend = new List<LegendItem>();
        for (int i = 0; i < chosen.Count; i++)
        {
            var c = chosen[i];
            var color = PlotKit.Series[i % PlotKit.Series.Length];
            double[] xs = c.Curve.Iteration.Select(t => (double)t).ToArray();
            double[] ys = c.Curve.RobustLoss.Select(v => log ? (v > 0 ? Math.Log10(v) : double.NaN) : v).ToArray();
            PlotKit.Curve(plot, xs, ys, color, 2.5f, LinePattern.Solid);
            legend.Add(PlotKit.LineItem(CellGroups.Describe(c, varying), color, LinePattern.Solid, 2.5f));
        }
        double xMax = chosen.Max(c => c.Curve.Iteration.Max());
        if (log)
        {
            var (lo, hi) = PlotKit.LogRange(positive, 0.1);
            PlotKit.LogTicks(plot.Axes.Left, lo, hi);
            plot.Axes.SetLimits(0, xMax, lo, hi);
        }
        else
        {
            double top = chosen.SelectMany(c => c.Curve.RobustLoss).Where(double.IsFinite).DefaultIfEmpty(1).Max();
            plot.Axes.SetLimits(0, xMax, 0, top * 1.05);
        }
        PlotKit.LegendBelow(plot, legend);
        var last = chosen.Select(c => c.Curve.RobustLoss[^1]).Where(double.IsFinite).DefaultIfEmpty(double.NaN).ToList();
        string caption = "Mean robust training loss over each cell's seeds against the gradient-descent iteration, for up to four cells spread over "
            + $"the range of measured robust test error (lowest to highest). At the last recorded iteration the mean loss is {Fmt.Num(last.Min(), 3)}"
            + (last.Count > 1 ? $" to {Fmt.Num(last.Max(), 3)}" : "") + " (Theorem 3.1, STATED in shape, says it goes below any ε after enough iterations)."
            + (log ? " Log scale: the loss spans more than two decades." : "");
        return new Figure("robust-training-loss", "Robust training loss against iteration", caption, PlotKit.Svg(plot, 900, 620));
    }
}
