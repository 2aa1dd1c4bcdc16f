using ScottPlot;
using Verify.Bounds.Gaussian;
using Verify.Verification.Analysis;
using Verify.Verification.Output;
using Verify.Verification.Text;

namespace Verify.Verification.Reports.Figures;

/// <summary>
/// Test error against the attack budget at fixed (d, M): the robust error should rise to 1/2 as α
/// reaches M (Theorem 3.2). Gaussian data is drawn against α/M with the EXACT lower bound on the robust error of any classifier;
/// MNIST against α/M̂, one figure per normalization, with the Gaussian model's HEURISTIC curve as a yardstick.
/// </summary>
internal static class BudgetFigures
{
    /// <summary>
    /// The (M, d) with the most distinct α, if at least two. Ties go to the group whose clean error is
    /// lowest (where overfitting is benign, so the rise of the robust error towards α = M shows), then to larger d.
    /// </summary>
    public static IReadOnlyList<CellSummary>? GaussianGroup(IReadOnlyList<CellSummary> family) => Best(family, c => (c.Parameters.Mu, c.Parameters.D));

    /// <summary>
    /// The MNIST d with the most distinct α, if at least two (ties as for Gaussian data); <paramref name="preferredD"/>
    /// when it has two, so that the figures of several normalizations show the same resolution.
    /// </summary>
    public static IReadOnlyList<CellSummary>? MnistGroup(IReadOnlyList<CellSummary> family, double? preferredD = null)
    {
        var preferred = family.Where(c => CellGroups.MnistD(c) == preferredD).ToList();
        return (preferred.Count > 0 ? Best(preferred, c => (0.0, CellGroups.MnistD(c))) : null) ?? Best(family, c => (0.0, CellGroups.MnistD(c)));
    }

    private static IReadOnlyList<CellSummary>? Best(IReadOnlyList<CellSummary> family, Func<CellSummary, (double, double)> key)
    {
        var best = family.GroupBy(key)
            .Select(g => (Cells: g.ToList(), Alphas: g.Select(c => CellGroups.Key(c.Parameters.Alpha)).Distinct().Count(), D: g.Key.Item2,
                Clean: g.Select(c => c.Measured.CleanTest.Mean).Where(double.IsFinite).DefaultIfEmpty(1).Average()))
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
        PlotKit.Measured(plot, xs, cells.Select(c => c.Measured.CleanTest.Mean).ToArray(), cells.Select(c => c.Measured.CleanTest.Low95).ToArray(),
            cells.Select(c => c.Measured.CleanTest.High95).ToArray(), PlotKit.Clean, MarkerShape.FilledSquare, connect: false);
        PlotKit.Measured(plot, xs, cells.Select(c => c.Measured.RobustTest.Mean).ToArray(), cells.Select(c => c.Measured.RobustTest.Low95).ToArray(),
            cells.Select(c => c.Measured.RobustTest.High95).ToArray(), PlotKit.Robust, MarkerShape.FilledCircle, connect: false);
        PlotKit.Bracket(plot, xs, cells.Select(c => c.Measured.RobustTest.Mean).ToArray(), cells.Select(c => c.Certification.RobustTest?.Mean).ToArray(), PlotKit.Robust);
        bool bracketed = cells.Any(c => c.Certification.RobustTest is not null);

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
            .. bracketed ? [PlotKit.BracketItem("robust: bar up to the certified error (upper end)", PlotKit.Robust)] : Array.Empty<LegendItem>(),
        ]);
        string caption = $"Measured clean and robust test error (mean over seeds, bars: 95% interval) against α/M at M = {Fmt.Num(mu)}, d = {Fmt.Num(d)}. "
            + "Dashed: the HEURISTIC prediction; dotted: the EXACT Gaussian lower bound on the robust error of any classifier, β + (1−2β)·Φ(α − M) below α = M "
            + "(a bound, not a robust error some classifier attains when β > 0) "
            + "and 1/2 from α = M on (Theorem 3.2, STATED: at α ≥ M every classifier has robust error ≥ 1/2). "
            + (bracketed ? "The robust markers are the attack's error, a lower end of the true robust error; a translucent bar reaches from each up to the certified error, its upper end. " : "")
            + (familyNote ?? "");
        return new Figure("error-vs-alpha", $"Test error against α/M (M = {Fmt.Num(mu)}, d = {Fmt.Num(d)})", caption.TrimEnd(), PlotKit.Svg(plot, 1040, 520));
    }

    /// <summary>
    /// MNIST cells of one normalization at one resolution, one series per β, against α/M̂ (so figures of
    /// different normalizations share an axis), each with the Gaussian model's HEURISTIC robust error at
    /// M = M̂/σ̂: the curve the synthetic data follow.
    /// </summary>
    public static Figure Mnist(IReadOnlyList<CellSummary> group, string normalization, string? familyNote)
    {
        double d = CellGroups.MnistD(group[0]);
        var byBeta = group.GroupBy(c => c.Parameters.Beta).OrderBy(g => g.Key).Select(g => g.OrderBy(c => c.Parameters.AlphaOverMu).ToList()).ToList();
        double muHat = group.Select(c => c.Parameters.Mu).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
        double sigma = group.Select(c => c.Parameters.NoiseScale).Where(double.IsFinite).DefaultIfEmpty(1).Average();
        bool theory = double.IsFinite(muHat) && muHat > 0;
        if (!theory) throw new InvalidOperationException("no estimate M̂ of the signal norm, so α/M̂ is unknown");
        // α/M̂ of a cell: exact where the cell gives it (each run trained at that fraction of its own M̂), else α over the group's mean M̂.
        double Ratio(CellSummary c) => CellGroups.MnistBudget(c) is { OverMuHat: true } b ? b.Value : c.Parameters.Alpha / muHat;
        double xMax = Math.Max(1.25, group.Max(Ratio) * 1.1);
        const string outside = "outside the theorem's Gaussian assumptions";
        var atMean = group[0].Parameters with { Mu = muHat, NoiseScale = sigma, D = d };

        var plot = PlotKit.NewPlot($"MNIST 0 vs 1, {normalization}, d = {Fmt.Num(d)}: test error against α/M̂", "α/M̂ (attack budget relative to the class-mean half-distance)", "test error (noisy labels)");
        var legend = new List<LegendItem>();
        double[] r = PlotKit.LinSpace(0, xMax, 301);
        double top = 0;
        for (int i = 0; i < byBeta.Count; i++)
        {
            var cells = byBeta[i];
            double beta = cells[0].Parameters.Beta;
            var color = PlotKit.Series[i % PlotKit.Series.Length];
            double[] xs = cells.Select(Ratio).ToArray();
            PlotKit.Measured(plot, xs, cells.Select(c => c.Measured.RobustTest.Mean).ToArray(), cells.Select(c => c.Measured.RobustTest.Low95).ToArray(),
                cells.Select(c => c.Measured.RobustTest.High95).ToArray(), color, MarkerShape.FilledCircle, connect: true);
            PlotKit.Bracket(plot, xs, cells.Select(c => c.Measured.RobustTest.Mean).ToArray(), cells.Select(c => c.Certification.RobustTest?.Mean).ToArray(), color);
            PlotKit.Measured(plot, xs, cells.Select(c => c.Measured.CleanTest.Mean).ToArray(), cells.Select(c => c.Measured.CleanTest.Low95).ToArray(),
                cells.Select(c => c.Measured.CleanTest.High95).ToArray(), color, MarkerShape.OpenSquare, connect: true, LinePattern.Dotted);
            var pred = r.Select(x => (atMean with { Alpha = x * muHat, Beta = beta }).Heuristic().Robust).ToArray();
            PlotKit.Curve(plot, r, pred, color, 2, LinePattern.Dashed);
            if (beta > 0) PlotKit.HorizontalLine(plot, beta, color, LinePattern.DenselyDashed, 1);
            top = Math.Max(top, YMax(cells, pred));
            legend.Add(PlotKit.MarkerItem($"β = {Fmt.Num(beta)}: robust, measured (mean, 95% interval)", color, MarkerShape.FilledCircle, line: true));
            legend.Add(PlotKit.MarkerItem($"β = {Fmt.Num(beta)}: clean, measured", color, MarkerShape.OpenSquare, line: true, LinePattern.Dotted));
            legend.Add(PlotKit.LineItem($"β = {Fmt.Num(beta)}: robust, HEURISTIC of the Gaussian model ({outside})", color, LinePattern.Dashed));
        }
        PlotKit.VerticalLine(plot, 1, PlotKit.Collapse, LinePattern.Solid, 2, "α = M̂");
        legend.Add(PlotKit.LineItem("α = M̂ (empirical class-mean half-distance)", PlotKit.Collapse, LinePattern.Solid));
        bool bracketed = group.Any(c => c.Certification.RobustTest is not null);
        if (bracketed) legend.Add(PlotKit.BracketItem("bar: robust error, from the attack's up to the certified (upper end)", PlotKit.Floor));
        plot.Axes.SetLimits(0, xMax, 0, top);
        PlotKit.LegendBelow(plot, legend);
        plot.Legend.Orientation = Orientation.Vertical;
        string betas = string.Join(" and ", byBeta.Select(b => Fmt.Num(b[0].Parameters.Beta)));
        string caption = $"MNIST digits 0 vs 1, {normalization}, at d = {Fmt.Num(d)}: measured robust (filled circles) and clean (open squares) test error, mean over seeds with 95% intervals, "
            + $"against α/M̂ for β = {betas} (labels flipped with probability β in training and test; thin dashed lines: the floor β). "
            + $"M̂ = {Fmt.Num(muHat, 3)} is the empirical class-mean half-distance, the analogue of M, and σ̂ = {Fmt.Num(sigma, 3)} the within-class spread per pixel, "
            + $"both averaged over the cells' training sets. Dashed: the HEURISTIC robust error of the Gaussian model at M = M̂/σ̂ = {Fmt.Num(atMean.MuInNoiseUnits, 3)} and α/σ̂, "
            + $"the curve the synthetic data follow; MNIST is {outside}, so the curve is a yardstick, not a prediction the theorem makes. "
            + (bracketed ? "Translucent bars reach from the attack's robust error up to the certified one (means over seeds): the true robust error lies in between. " : "")
            + (familyNote ?? "");
        string name = "mnist-error-vs-alpha-" + string.Concat(normalization.Select(ch => char.IsAsciiLetterOrDigit(ch) ? ch : '-'));
        return new Figure(name, $"MNIST, {normalization}: test error against α/M̂ (d = {Fmt.Num(d)})", caption.TrimEnd(), PlotKit.Svg(plot, 960, 700));
    }

    /// <summary>Room for the measurements and the theory curves (at least 0.6 so that 1/2 shows, at most just above 1).</summary>
    private static double YMax(IEnumerable<CellSummary> cells, IEnumerable<double> curve)
    {
        double top = Math.Max(cells.Max(c => Math.Max(Top(c.Measured.RobustTest), Top(c.Measured.CleanTest))), curve.Where(double.IsFinite).DefaultIfEmpty(0).Max());
        return Math.Min(1.04, Math.Max(0.6, top + 0.05));
    }

    private static double Top(Statistic s) => double.IsFinite(s.High95) ? s.High95 : s.Mean;
}
