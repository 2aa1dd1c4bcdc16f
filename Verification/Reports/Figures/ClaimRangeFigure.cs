using ScottPlot;
using Verify.Verification.Claims;
using Verify.Verification.Output;
using Verify.Verification.Text;

namespace Verify.Verification.Reports.Figures;

/// <summary>
/// The theorems tested as a function of the unknown C: how many claims are in scope (hypotheses hold
/// at C, runs reached the state the claim describes) and how many of them are contradicted, on the
/// log grid of C, with C_min and the experiment's C marked.
/// </summary>
internal static class ClaimRangeFigure
{
    private static readonly Color InScope = Color.FromHex("#1f77b4");
    private static readonly Color Contradicted = Color.FromHex("#d62728");
    private static readonly Color NotReached = Color.FromHex("#7f7f7f");
    private static readonly Color Untestable = Color.FromHex("#ff7f0e");
    private static readonly Color Vacuous = Color.FromHex("#9467bd");

    public static bool Applies(ClaimsSummary s) => s.Reached > 0 && s.ByC.Count >= 2;

    public static Figure Draw(ClaimsSummary s)
    {
        var plot = PlotKit.NewPlot("Claims (RECONSTRUCTED forms) against the unknown C", "C (log scale)", "claims");
        double[] x = s.ByC.Select(p => Math.Log10(p.C)).ToArray();
        Steps(plot, x, s.ByC.Select(p => (double)p.Tested).ToArray(), InScope, LinePattern.Solid);
        Steps(plot, x, s.ByC.Select(p => (double)p.Contradicted).ToArray(), Contradicted, LinePattern.Solid);
        var legend = new List<LegendItem>
        {
            PlotKit.LineItem("tested (in scope and testable at C)", InScope, LinePattern.Solid, 2.5f),
            PlotKit.LineItem("contradicted (Holm, family-wise 5%)", Contradicted, LinePattern.Solid, 2.5f),
        };
        var extras = new List<string>();
        void Optional(Func<CPoint, int> count, Color color, string label, string caption)
        {
            if (!s.ByC.Any(p => count(p) > 0)) return;
            Steps(plot, x, s.ByC.Select(p => (double)count(p)).ToArray(), color, LinePattern.Dashed);
            legend.Add(PlotKit.LineItem(label, color, LinePattern.Dashed, 2.5f));
            extras.Add(caption);
        }
        Optional(p => p.Untestable, Untestable, "untestable (in scope; no outcome could contradict)", "untestable claims (in scope, but no outcome of their runs could contradict them)");
        Optional(p => p.Vacuous, Vacuous, "vacuous (bound ≥ 1)", "vacuous claims (hypotheses hold, bound ≥ 1)");
        Optional(p => p.NotReached, NotReached, "not reached (runs had not interpolated)", "claims not reached (runs had not interpolated)");

        double top = s.ByC.Max(p => new[] { p.Tested, p.Untestable, p.Vacuous, p.NotReached }.Max());
        if (s.CMin is { } cMin && !s.CMinAtGridStart)
            PlotKit.VerticalLine(plot, Math.Log10(cMin), Colors.Black, LinePattern.Solid, 2, $"C_min = {Fmt.Num(cMin, 3)}");
        if (s.C >= s.ByC[0].C && s.C <= s.ByC[^1].C)
        {
            PlotKit.VerticalLine(plot, Math.Log10(s.C), PlotKit.Floor, LinePattern.Dotted, 2);
            legend.Add(PlotKit.LineItem($"the tables' C = {Fmt.Num(s.C)}", PlotKit.Floor, LinePattern.Dotted));
        }
        PlotKit.LogTicks(plot.Axes.Bottom, x[0], x[^1]);
        // A little room below zero, so that a count of 0 does not hide in the axis line.
        plot.Axes.SetLimits(x[0], x[^1], -0.02 * Math.Max(1, top), Math.Max(1, top) * 1.08);
        PlotKit.LegendRight(plot, legend);

        string cmin = s.CMin is not { } c ? $"Claims are contradicted at every C up to {Fmt.Num(s.ByC[^1].C)}, so no C_min is marked. "
            : s.CMinAtGridStart ? $"No claim is contradicted at any C shown (C_min ≤ {Fmt.Num(c)}). "
            : $"Solid vertical line: C_min = {Fmt.Num(c, 3)}, from where on no claim is contradicted; {s.AtCMin?.Tested ?? 0} claims are tested there. ";
        string caption = $"For each C on a log grid from {Fmt.Num(s.ByC[0].C)} to {Fmt.Num(s.ByC[^1].C)} (ten points per decade): the number of claims tested "
            + "(their hypotheses hold at C, the runs reached the state the claim describes, the bound is below 1, and some outcome of the runs could contradict them), and the number "
            + "of those contradicted (runs significantly beyond the claim on their own test points, counted against Bin(runs, δ + a₀), Holm over the claims tested at that C, family-wise 5%)"
            + (extras.Count > 0 ? "; dashed: " + string.Join(", ", extras) : "") + ". "
            + $"Largest number tested: {s.ByC.Max(p => p.Tested)} (at C = {Fmt.Num(s.ByC.MaxBy(p => p.Tested)!.C)}); at the largest C: {s.ByC[^1].Tested}. "
            + cmin;
        return new Figure("claims-vs-c", "Claims tested and contradicted against C", caption.TrimEnd(), PlotKit.Svg(plot, 1000, 520));
    }

    /// <summary>A count on the grid, drawn as steps (the count is constant between grid points to the grid's resolution).</summary>
    private static void Steps(Plot plot, double[] x, double[] y, Color color, LinePattern pattern)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (int i = 0; i < x.Length; i++)
        {
            double left = i == 0 ? x[0] : 0.5 * (x[i - 1] + x[i]);
            double right = i == x.Length - 1 ? x[^1] : 0.5 * (x[i] + x[i + 1]);
            xs.Add(left); ys.Add(y[i]);
            xs.Add(right); ys.Add(y[i]);
        }
        PlotKit.Curve(plot, xs, ys, color, 2.5f, pattern);
    }
}
