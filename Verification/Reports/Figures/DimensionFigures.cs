using Verify.Simulation.Settings;
using ScottPlot;
using Verify.Verification.Analysis;
using Verify.Verification.Output;
using Verify.Verification.Text;

namespace Verify.Verification.Reports.Figures;

/// <summary>
/// Test error against d: for Gaussian data at the M with the most values of d, one series per α/M
/// with the HEURISTIC curve; for MNIST at fixed α, d = k² for the downsampling k.
/// </summary>
internal static class DimensionFigures
{
    public const int MaxSeries = 5;

    /// <summary>
    /// The M with the most distinct d among its α/M series that have at least two values of d (ties:
    /// the larger M); null when no series at any M has two.
    /// </summary>
    public static double? GaussianM(IReadOnlyList<CellSummary> family)
    {
        var best = family.GroupBy(c => c.Parameters.Mu)
            .Select(g => (Mu: g.Key, Ds: g.GroupBy(c => CellGroups.Key(c.Parameters.AlphaOverMu))
                .Where(r => r.Select(c => c.Parameters.D).Distinct().Count() >= 2)
                .SelectMany(r => r.Select(c => c.Parameters.D)).Distinct().Count()))
            .OrderByDescending(t => t.Ds).ThenByDescending(t => t.Mu).FirstOrDefault();
        return best.Ds >= 2 ? best.Mu : null;
    }

    public static Figure Gaussian(IReadOnlyList<CellSummary> family, double mu, bool robust, ExperimentSummary summary, string? familyNote)
    {
        var atM = family.Where(c => c.Parameters.Mu == mu).ToList();
        var ratios = CellGroups.Spread(atM.GroupBy(c => CellGroups.Key(c.Parameters.AlphaOverMu))
            .Where(g => g.Select(c => c.Parameters.D).Distinct().Count() >= 2)
            .Select(g => g.Key).Order().ToList(), MaxSeries);
        double beta = atM[0].Parameters.Beta;
        string metric = robust ? "robust" : "clean";

        var plot = PlotKit.NewPlot($"{Cap(metric)} test error against d at M = {Fmt.Num(mu)} (Gaussian data)",
            "d (input dimension, log scale)", $"{metric} test error (noisy labels)");
        var (lo, hi) = PlotKit.LogRange(atM.Select(c => c.Parameters.D));
        double[] dense = PlotKit.LogSpace(lo, hi, 200);
        var legend = new List<LegendItem>();
        double yMax = 0.55;
        for (int s = 0; s < ratios.Count; s++)
        {
            var color = PlotKit.Series[s % PlotKit.Series.Length];
            var pts = atM.Where(c => CellGroups.Key(c.Parameters.AlphaOverMu) == ratios[s]).OrderBy(c => c.Parameters.D).ToList();
            var st = pts.Select(c => robust ? c.Measured.RobustTest : c.Measured.CleanTest).ToList();
            PlotKit.Measured(plot, pts.Select(c => Math.Log10(c.Parameters.D)).ToArray(), st.Select(x => x.Mean).ToArray(),
                st.Select(x => x.Low95).ToArray(), st.Select(x => x.High95).ToArray(), color, MarkerShape.FilledCircle, connect: false);
            if (robust)
                PlotKit.Bracket(plot, pts.Select(c => Math.Log10(c.Parameters.D)).ToArray(), st.Select(x => x.Mean).ToArray(), pts.Select(c => c.Certification.RobustTest?.Mean).ToArray(), color);
            yMax = Math.Max(yMax, st.Select(x => double.IsFinite(x.High95) ? x.High95 : x.Mean).Max() + 0.03);
            var cell = pts[0].Parameters;
            var pred = dense.Select(d => (cell with { D = d }).Heuristic()).Select(p => robust ? p.Robust : p.Clean).ToArray();
            PlotKit.Curve(plot, dense.Select(Math.Log10).ToArray(), pred, color, 2, LinePattern.Dashed);
            legend.Add(PlotKit.MarkerItem($"α/M = {Fmt.Num(ratios[s])}", color, MarkerShape.FilledCircle));
        }
        PlotKit.HorizontalLine(plot, beta, PlotKit.Floor, LinePattern.Dotted, 2);
        legend.Insert(0, PlotKit.MarkerItem("measured: mean, 95% interval", PlotKit.Floor, MarkerShape.FilledCircle));
        legend.Add(PlotKit.LineItem("HEURISTIC prediction", PlotKit.Floor, LinePattern.Dashed));
        legend.Add(PlotKit.LineItem($"β = {Fmt.Num(beta)} (noise floor)", PlotKit.Floor, LinePattern.Dotted));
        bool bracketed = robust && atM.Any(c => c.Certification.RobustTest is not null);
        if (bracketed) legend.Add(PlotKit.BracketItem("bar: from the attack's error up to the certified error (upper end)", PlotKit.Floor));

        PlotKit.LogTicks(plot.Axes.Bottom, lo, hi);
        plot.Axes.SetLimits(lo, hi, 0, yMax);
        PlotKit.LegendRight(plot, legend);

        string caption = $"Measured {metric} test error (mean over seeds, bars: 95% interval) against d at M = {Fmt.Num(mu)}, one colour per α/M; "
            + $"dashed: the HEURISTIC prediction of the linearized interpolator (no fitted constant); dotted: β, the floor that benign overfitting reaches. "
            + (bracketed ? "Markers are the attack's error, a lower end of the true robust error; a translucent bar reaches from each up to the certified error (mean over seeds), its upper end. " : "")
            + (familyNote ?? "");
        return new Figure($"error-vs-d-{metric}", $"{Cap(metric)} test error against d (M = {Fmt.Num(mu)})", caption.TrimEnd(), PlotKit.Svg(plot, 1000, 520));
    }

    /// <summary>The MNIST budgets (α, or α/M̂ where cells give it: <see cref="CellGroups.MnistBudget"/>) that have at least two values of d.</summary>
    public static IReadOnlyList<(double Value, bool OverMuHat)> MnistAlphas(IReadOnlyList<CellSummary> family)
        => CellGroups.Spread(family.GroupBy(CellGroups.MnistBudget)
            .Where(g => g.Select(CellGroups.MnistD).Distinct().Count() >= 2)
            .Select(g => g.Key).OrderBy(k => k.OverMuHat).ThenBy(k => k.Value).ToList(), 3);

    public static Figure Mnist(IReadOnlyList<CellSummary> family, IReadOnlyList<(double Value, bool OverMuHat)> alphas, string? familyNote)
    {
        static string Label((double Value, bool OverMuHat) a) => a.OverMuHat ? $"α/M̂ = {Fmt.Num(a.Value)}" : $"α = {Fmt.Num(a.Value)}";
        bool ratios = alphas.Any(a => a.OverMuHat);
        string held = ratios ? "fixed α/M̂" : "fixed α";
        string normalization = family[0].Settings.Text(Keys.Normalization);
        double beta = family[0].Parameters.Beta;
        var plot = PlotKit.NewPlot($"Test error against d at {held} (MNIST 0 vs 1, {normalization}, β = {Fmt.Num(beta)})", "d = k² (downsampled image size, log scale)", "test error");
        var ds = family.Select(CellGroups.MnistD).Distinct().Order().ToArray();
        var (lo, hi) = PlotKit.LogRange(ds, 0.12);
        var legend = new List<LegendItem>();
        double yMax = 0.1;
        for (int s = 0; s < alphas.Count; s++)
        {
            var color = PlotKit.Series[s % PlotKit.Series.Length];
            var pts = family.Where(c => CellGroups.MnistBudget(c) == alphas[s]).OrderBy(CellGroups.MnistD).ToList();
            double[] xs = pts.Select(c => Math.Log10(CellGroups.MnistD(c))).ToArray();
            PlotKit.Measured(plot, xs, pts.Select(c => c.Measured.RobustTest.Mean).ToArray(), pts.Select(c => c.Measured.RobustTest.Low95).ToArray(),
                pts.Select(c => c.Measured.RobustTest.High95).ToArray(), color, MarkerShape.FilledCircle, connect: true);
            PlotKit.Bracket(plot, xs, pts.Select(c => c.Measured.RobustTest.Mean).ToArray(), pts.Select(c => c.Certification.RobustTest?.Mean).ToArray(), color);
            PlotKit.Measured(plot, xs, pts.Select(c => c.Measured.CleanTest.Mean).ToArray(), pts.Select(c => c.Measured.CleanTest.Low95).ToArray(),
                pts.Select(c => c.Measured.CleanTest.High95).ToArray(), color, MarkerShape.OpenSquare, connect: true, LinePattern.Dashed);
            yMax = Math.Max(yMax, pts.Max(c => Math.Max(Top(c.Measured.RobustTest), Top(c.Measured.CleanTest))));
            legend.Add(PlotKit.MarkerItem($"{Label(alphas[s])}: robust", color, MarkerShape.FilledCircle, line: true));
            legend.Add(PlotKit.MarkerItem($"{Label(alphas[s])}: clean", color, MarkerShape.OpenSquare, line: true, LinePattern.Dashed));
        }
        if (beta > 0)
        {
            PlotKit.HorizontalLine(plot, beta, PlotKit.Floor, LinePattern.Dotted, 2);
            legend.Add(PlotKit.LineItem($"β = {Fmt.Num(beta)} (label-noise floor)", PlotKit.Floor, LinePattern.Dotted));
        }
        PlotKit.ManualTicks(plot.Axes.Bottom, ds.Select(d => (Math.Log10(d), Fmt.Num(d))));
        plot.Axes.SetLimits(lo, hi, 0, Math.Min(1, yMax * 1.1 + 0.02));
        PlotKit.LegendRight(plot, legend);
        bool bracketed = family.Any(c => c.Certification.RobustTest is not null);
        if (bracketed) legend.Add(PlotKit.BracketItem("bar: robust error, from the attack's up to the certified (upper end)", PlotKit.Floor));
        string caption = $"MNIST digits 0 vs 1, {normalization}, β = {Fmt.Num(beta)}: measured robust (filled, solid) and clean (open, dashed) test error, mean over seeds with 95% intervals, against the input "
            + $"dimension d = k² of the downsampled images, at {held}"
            + (ratios ? " (each run's α is that fraction of the class-mean half-distance M̂ of its own training set, so α itself differs between resolutions)" : "")
            + ". MNIST is outside the theorem's Gaussian assumptions, so no theory curve is drawn. "
            + (bracketed ? "Translucent bars reach from the attack's robust error up to the certified one (means over seeds): the true robust error lies in between. " : "")
            + (familyNote ?? "");
        return new Figure("mnist-error-vs-d", $"MNIST: test error against d at {held}", caption.TrimEnd(), PlotKit.Svg(plot, 1000, 520));
    }

    private static double Top(Statistic s) => double.IsFinite(s.High95) ? s.High95 : s.Mean;

    private static string Cap(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}
