using ScottPlot;
using Verify.Bounds.Gaussian;
using Verify.Verification.Analysis;
using Verify.Verification.Output;

namespace Verify.Verification.Reports.Figures;

/// <summary>
/// Test error against the attack budget at fixed (d, M): the robust error should rise to 1/2 as α
/// reaches M (Theorem 3.2). Gaussian data is drawn against α/M with the EXACT lower bound on the robust error of any classifier;
/// MNIST against α with α = M̂ marked and the theory curves labelled as outside the theorem's assumptions.
/// </summary>
internal static class BudgetFigures
{
    /// <summary>
    /// The (M, d) with the most distinct α, if at least two. Ties go to the group whose clean error is
    /// lowest (where overfitting is benign, so the rise of the robust error towards α = M shows), then to larger d.
    /// </summary>
    public static IReadOnlyList<CellSummary>? GaussianGroup(IReadOnlyList<CellSummary> family) => Best(family, c => (c.Parameters.Mu, c.Parameters.D));

    /// <summary>The MNIST d with the most distinct α, if at least two (ties as for Gaussian data).</summary>
    public static IReadOnlyList<CellSummary>? MnistGroup(IReadOnlyList<CellSummary> family) => Best(family, c => (0.0, CellGroups.MnistD(c)));

    private static IReadOnlyList<CellSummary>? Best(IReadOnlyList<CellSummary> family, Func<CellSummary, (double, double)> key)
    {
        var best = family.GroupBy(key)
            .Select(g => (Cells: g.ToList(), Alphas: g.Select(c => CellGroups.Key(c.Parameters.Alpha)).Distinct().Count(), D: g.Key.Item2,
                Clean: g.Select(c => c.CleanTest.Mean).Where(double.IsFinite).DefaultIfEmpty(1).Average()))
            .OrderByDescending(t => t.Alphas).ThenBy(t => Math.Round(t.Clean, 2)).ThenByDescending(t => t.D).FirstOrDefault();
        return best.Alphas >= 2 ? best.Cells : null;
    }

    public static Figure Gaussian(IReadOnlyList<CellSummary> group, string? familyNote)
    {
        var p = group[0].Parameters;
        double mu = p.Mu, d = p.D, beta = p.Beta;
        var cells = group.OrderBy(c => c.Parameters.AlphaOverMu).ToList();
        double[] xs = cells.Select(c => c.Parameters.AlphaOverMu).ToArray();
        double xMax = Math.Max(1.25, xs.Max() * 1.1);

        var plot = PlotKit.NewPlot($"Test error against α/M at M = {Fmt.Num(mu)}, d = {Fmt.Num(d)} (Gaussian data)", "α/M (attack budget relative to the signal norm)", "test error (noisy labels)");
        PlotKit.Measured(plot, xs, cells.Select(c => c.CleanTest.Mean).ToArray(), cells.Select(c => c.CleanTest.Low95).ToArray(),
            cells.Select(c => c.CleanTest.High95).ToArray(), PlotKit.Clean, MarkerShape.FilledSquare, connect: false);
        PlotKit.Measured(plot, xs, cells.Select(c => c.RobustTest.Mean).ToArray(), cells.Select(c => c.RobustTest.Low95).ToArray(),
            cells.Select(c => c.RobustTest.High95).ToArray(), PlotKit.Robust, MarkerShape.FilledCircle, connect: false);

        double[] r = PlotKit.LinSpace(0, xMax, 301);
        var pred = r.Select(x => (p with { Alpha = x * mu }).Heuristic()).ToArray();
        PlotKit.Curve(plot, r, pred.Select(q => q.Clean).ToArray(), PlotKit.Clean, 2, LinePattern.Dashed);
        PlotKit.Curve(plot, r, pred.Select(q => q.Robust).ToArray(), PlotKit.Robust, 2, LinePattern.Dashed);
        // EXACT lower bound: no classifier does better; it jumps to 1/2 at α = M, so draw the two pieces apart.
        var below = r.Where(x => x < 1).ToArray();
        PlotKit.Curve(plot, below, below.Select(x => GaussianReference.RobustLower(p.MuInNoiseUnits, x * p.MuInNoiseUnits, beta)).ToArray(), PlotKit.Exact, 2, LinePattern.Dotted);
        PlotKit.Curve(plot, [1, xMax], [0.5, 0.5], PlotKit.Exact, 2, LinePattern.Dotted);
        PlotKit.HorizontalLine(plot, beta, PlotKit.Floor, LinePattern.DenselyDashed, 1.5f);
        PlotKit.VerticalLine(plot, 1, PlotKit.Collapse, LinePattern.Solid, 2, "α = M (Theorem 3.2: collapse)");

        double yMax = YMax(cells, pred.Select(q => q.Robust));
        plot.Axes.SetLimits(0, xMax, 0, yMax);
        PlotKit.LegendRight(plot,
        [
            PlotKit.MarkerItem("clean: measured (mean, 95% interval)", PlotKit.Clean, MarkerShape.FilledSquare),
            PlotKit.MarkerItem("robust: measured (mean, 95% interval)", PlotKit.Robust, MarkerShape.FilledCircle),
            PlotKit.LineItem("clean: HEURISTIC prediction", PlotKit.Clean, LinePattern.Dashed),
            PlotKit.LineItem("robust: HEURISTIC prediction", PlotKit.Robust, LinePattern.Dashed),
            PlotKit.LineItem("robust error of any classifier ≥ (EXACT lower bound)", PlotKit.Exact, LinePattern.Dotted),
            PlotKit.LineItem($"β = {Fmt.Num(beta)} (label-noise floor)", PlotKit.Floor, LinePattern.DenselyDashed, 1.5f),
            PlotKit.LineItem("α = M (Theorem 3.2: collapse)", PlotKit.Collapse, LinePattern.Solid),
        ]);
        string caption = $"Measured clean and robust test error (mean over seeds, bars: 95% interval) against α/M at M = {Fmt.Num(mu)}, d = {Fmt.Num(d)}. "
            + "Dashed: the HEURISTIC prediction; dotted: the EXACT Gaussian lower bound on the robust error of any classifier, β + (1−2β)·Φ(α − M) below α = M "
            + "(a bound, not a robust error some classifier attains when β > 0) "
            + "and 1/2 from α = M on (Theorem 3.2, STATED: at α ≥ M every classifier has robust error ≥ 1/2). "
            + (familyNote ?? "");
        return new Figure("error-vs-alpha", $"Test error against α/M (M = {Fmt.Num(mu)}, d = {Fmt.Num(d)})", caption.TrimEnd(), PlotKit.Svg(plot, 1040, 520));
    }

    public static Figure Mnist(IReadOnlyList<CellSummary> group, string? familyNote)
    {
        var p = group[0].Parameters;
        double d = CellGroups.MnistD(group[0]);
        double muHat = group.Select(c => c.Parameters.Mu).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
        double beta = p.Beta;
        var cells = group.OrderBy(c => c.Parameters.Alpha).ToList();
        double[] xs = cells.Select(c => c.Parameters.Alpha).ToArray();
        bool theory = double.IsFinite(muHat) && muHat > 0;
        double xMax = Math.Max(xs.Max() * 1.1, theory ? muHat * 1.25 : 0);
        const string outside = "outside the theorem's Gaussian assumptions";

        var plot = PlotKit.NewPlot($"Test error against α at d = {Fmt.Num(d)} (MNIST 0 vs 1)", "α (l2 attack budget)", "test error");
        PlotKit.Measured(plot, xs, cells.Select(c => c.CleanTest.Mean).ToArray(), cells.Select(c => c.CleanTest.Low95).ToArray(),
            cells.Select(c => c.CleanTest.High95).ToArray(), PlotKit.Clean, MarkerShape.FilledSquare, connect: true);
        PlotKit.Measured(plot, xs, cells.Select(c => c.RobustTest.Mean).ToArray(), cells.Select(c => c.RobustTest.Low95).ToArray(),
            cells.Select(c => c.RobustTest.High95).ToArray(), PlotKit.Robust, MarkerShape.FilledCircle, connect: true);
        var legend = new List<LegendItem>
        {
            PlotKit.MarkerItem("clean: measured (mean, 95% interval)", PlotKit.Clean, MarkerShape.FilledSquare, line: true),
            PlotKit.MarkerItem("robust: measured (mean, 95% interval)", PlotKit.Robust, MarkerShape.FilledCircle, line: true),
        };
        double[] a = PlotKit.LinSpace(0, xMax, 301);
        // Theory in noise units: M̂/σ̂ and α/σ̂ (σ̂, the within-class per-coordinate spread).
        double sigma = group.Select(c => c.Parameters.NoiseScale).Where(double.IsFinite).DefaultIfEmpty(1).Average();
        var atMean = p with { Mu = muHat, NoiseScale = sigma, D = d };
        var pred = theory ? a.Select(x => (atMean with { Alpha = x }).Heuristic()).ToArray() : [];
        double yMax = YMax(cells, pred.Select(q => q.Robust));
        if (theory)
        {
            PlotKit.Curve(plot, a, pred.Select(q => q.Robust).ToArray(), PlotKit.Robust, 2, LinePattern.Dashed);
            var below = a.Where(x => x < muHat).ToArray();
            PlotKit.Curve(plot, below, below.Select(x => GaussianReference.RobustLower(atMean.MuInNoiseUnits, (atMean with { Alpha = x }).AlphaInNoiseUnits, beta)).ToArray(), PlotKit.Exact, 2, LinePattern.Dotted);
            PlotKit.Curve(plot, [muHat, xMax], [0.5, 0.5], PlotKit.Exact, 2, LinePattern.Dotted);
            PlotKit.VerticalLine(plot, muHat, PlotKit.Collapse, LinePattern.Solid, 2, $"α = M̂ = {Fmt.Num(muHat)}");
            legend.Add(PlotKit.LineItem($"robust: HEURISTIC with M = M̂/σ̂ = {Fmt.Num(atMean.MuInNoiseUnits, 3)} ({outside})", PlotKit.Robust, LinePattern.Dashed));
            legend.Add(PlotKit.LineItem($"Gaussian robust lower bound, EXACT only for Gaussian data ({outside})", PlotKit.Exact, LinePattern.Dotted));
            legend.Add(PlotKit.LineItem("α = M̂ (empirical class-mean half-distance)", PlotKit.Collapse, LinePattern.Solid));
        }
        plot.Axes.SetLimits(0, xMax, 0, yMax);
        PlotKit.LegendBelow(plot, legend);
        plot.Legend.Orientation = Orientation.Vertical;
        string caption = $"MNIST digits 0 vs 1 at d = {Fmt.Num(d)}: measured clean and robust test error (mean over seeds, bars: 95% interval) against α. "
            + (theory
                ? $"M̂ = {Fmt.Num(muHat)} is the empirical class-mean half-distance, the analogue of M; the vertical line marks α = M̂. "
                  + $"The theory is evaluated in noise units: σ̂ = {Fmt.Num(sigma, 3)} is the within-class spread per pixel, so M = M̂/σ̂ = {Fmt.Num(atMean.MuInNoiseUnits, 3)} and α/σ̂. "
                  + $"The theory curves use M = M̂/σ̂ and are {outside} (MNIST is not a Gaussian mixture): HEURISTIC and EXACT here only show what the Gaussian model would give. "
                : "No estimate M̂ of the signal norm is available, so no theory curve is drawn. ")
            + (familyNote ?? "");
        return new Figure("mnist-error-vs-alpha", $"MNIST: test error against α (d = {Fmt.Num(d)})", caption.TrimEnd(), PlotKit.Svg(plot, 960, 640));
    }

    /// <summary>Room for the measurements and the theory curves (at least 0.6 so that 1/2 shows, at most just above 1).</summary>
    private static double YMax(IEnumerable<CellSummary> cells, IEnumerable<double> curve)
    {
        double top = Math.Max(cells.Max(c => Math.Max(Top(c.RobustTest), Top(c.CleanTest))), curve.Where(double.IsFinite).DefaultIfEmpty(0).Max());
        return Math.Min(1.04, Math.Max(0.6, top + 0.05));
    }

    private static double Top(Statistic s) => double.IsFinite(s.High95) ? s.High95 : s.Mean;
}
