using ScottPlot;
using Verify.Verification.Analysis;
using Verify.Verification.Claims;
using Verify.Verification.Text;

namespace Verify.Verification.Reports.Figures;

/// <summary>
/// The C each noise model allows: one row per model (label-noise rule and noise family), its C_min on the log grid of C,
/// the paper's model (random flips of Gaussian noise) marked by a vertical line. Every model's claims are tested in the
/// report's one family, so the rows can be compared.
/// </summary>
internal static class NoiseModelFigure
{
    public static bool Applies(IReadOnlyList<NoiseModelClaims> models) => models.Count >= 2 && models.Any(m => m.Claims.Reached > 0);

    public static Figure Draw(IReadOnlyList<NoiseModelClaims> models, double c)
    {
        var plot = PlotKit.NewPlot("The C the data allow, per noise model (RECONSTRUCTED forms)", "C_min (log scale)", "");
        double lo = Math.Log10(CRange.Grid[0]), hi = Math.Log10(CRange.Grid[^1]);
        var families = models.Select(m => m.Family).Distinct().ToList();
        var shapes = new[] { MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledDiamond, MarkerShape.FilledTriangleUp };
        // The paper's model on top, then the models in their order (by family, then rule).
        var rows = models.Select((m, i) => (Model: m, Y: (double)(models.Count - 1 - i))).ToList();
        foreach (var (m, y) in rows)
        {
            int f = families.IndexOf(m.Family);
            var color = PlotKit.Series[f % PlotKit.Series.Length];
            if (m.Claims.CMin is not { } cMin)
            {
                PlotKit.Note(plot, "contradicted at every C", hi, y, color, Alignment.MiddleRight);
                continue;
            }
            double x = Math.Log10(cMin);
            var point = plot.Add.Scatter(new[] { x }, new[] { y }, color);
            point.MarkerShape = m.Claims.CMinAtGridStart ? MarkerShape.OpenCircle : shapes[f % shapes.Length];
            point.MarkerSize = 12;
            point.LineWidth = 0;
            PlotKit.Note(plot, m.Claims.CMinAtGridStart ? $"≤ {Fmt.Num(cMin)}" : Fmt.Num(cMin, 3), x + 0.08 * (hi - lo) / 6, y, color, Alignment.MiddleLeft, 11);
        }
        PlotKit.ManualTicks(plot.Axes.Left, rows.Select(r => (r.Y, $"{r.Model.LabelNoise}, {r.Model.Family}")));
        var reference = models.FirstOrDefault(m => m.IsReference);
        if (reference?.Claims.CMin is { } refMin)
            PlotKit.VerticalLine(plot, Math.Log10(refMin), Colors.Black, LinePattern.Dashed, 1.5f, $"paper's model: {Fmt.Num(refMin, 3)}");
        if (c >= CRange.Grid[0] && c <= CRange.Grid[^1])
            PlotKit.VerticalLine(plot, Math.Log10(c), PlotKit.Floor, LinePattern.Dotted, 2);
        PlotKit.LogTicks(plot.Axes.Bottom, lo, hi);
        plot.Axes.SetLimits(lo, hi, -0.7, models.Count - 0.3);

        string open = models.Any(m => m.Claims.CMinAtGridStart)
            ? $" An open circle at {Fmt.Num(CRange.Grid[0])}: no claim of that model is contradicted at any C examined." : "";
        string caption = $"For each of the {models.Count} noise models of the experiment (label-noise rule, noise family): C_min, the smallest C on the grid "
            + $"({Fmt.Num(CRange.Grid[0])} … {Fmt.Num(CRange.Grid[^1])}, refined between grid points) from which on none of the model's claims is contradicted, "
            + "every claim tested in the report's one Holm family (family-wise 5%). A larger C_min means the data rule out more of the small constants under that model."
            + (reference?.Claims.CMin is { } r ? $" Dashed: the paper's model (random flips, Gaussian noise), C_min = {Fmt.Num(r, 3)}." : "")
            + $" Dotted: the tables' C = {Fmt.Num(c)}." + open
            + " For a non-Gaussian family the regime is read in the family's scale (RECONSTRUCTED), where the bound is looser than under Gaussian noise at the same M and α.";
        return new Figure("noise-models", "The C the data allow, per noise model", caption, PlotKit.Svg(plot, 1000, 120 + 42 * models.Count));
    }
}
