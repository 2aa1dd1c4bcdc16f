using System.Globalization;
using Verify.Bounds;
using Verify.Bounds.Heuristic;
using Verify.Verification.Analysis;
using Verify.Verification.Results;

namespace Verify.Verification.Tests.Reports;

/// <summary>
/// Builds a plausible <see cref="ExperimentSummary"/> and its runs without training anything: a grid
/// of (M, d, α/M) Gaussian cells (and optionally MNIST cells) whose "measured" errors are the
/// HEURISTIC prediction plus a little deterministic noise, with every theory value computed by the
/// Bounds library exactly as the analysis would.
/// </summary>
internal sealed class SyntheticSummary
{
    public string Name { get; init; } = "synthetic grid";
    public string Description { get; init; } = "A synthetic experiment for the report tests: a 3×3 grid of (M, d) at two values of α/M.";
    public string? Notes { get; init; } = "Measurements are the heuristic prediction plus noise; nothing was trained.";
    public double[] Mus { get; init; } = [2, 4, 8];
    public double[] Ds { get; init; } = [100, 1000, 10000];
    public double[] Ratios { get; init; } = [0.25, 0.5];
    public double[] MnistAlphas { get; init; } = [];
    public int[] MnistResolutions { get; init; } = [7, 14, 28];
    public int Seeds { get; init; } = 3;
    public int N { get; init; } = 100;
    public int Width { get; init; } = 1000;
    public double Beta { get; init; } = 0.1;
    public double C { get; init; } = 1;
    public double Delta { get; init; } = 0.05;
    public double Epsilon { get; init; } = 0.05;
    public bool Curves { get; init; } = true;
    public int Iterations { get; init; } = 500;
    /// <summary>Extra settings put on every cell and run (e.g. a value with a comma, for the CSV).</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();

    private static readonly EnvironmentInfo Machine = new("Synthetic CPU @ 3.0GHz", 2, ".NET 10.0.0", "Debian GNU/Linux 12 (bookworm)", "OpenBLAS (libopenblas.so.0)");

    public (ExperimentSummary Summary, List<RunRecord> Runs) Build()
    {
        var cells = new List<CellSummary>();
        var runs = new List<RunRecord>();
        int cellIndex = 0;
        foreach (double ratio in Ratios)
            foreach (double mu in Mus)
                foreach (double d in Ds)
                    cells.Add(GaussianCell(mu, d, ratio * mu, cellIndex++, runs));
        foreach (double alpha in MnistAlphas)
            foreach (int k in MnistResolutions)
                cells.Add(MnistCell(k, alpha, cellIndex++, runs));

        var counts = cells.SelectMany(c => c.Verdicts).GroupBy(v => v.Kind)
            .Select(g => new VerdictCount(g.Key, g.Count(v => v.Outcome == Outcome.Pass), g.Count(v => v.Outcome == Outcome.Fail), g.Count(v => v.Outcome == Outcome.NotApplicable)))
            .ToList();
        int fails = counts.Sum(c => c.Fail);
        var headlines = new List<string>
        {
            $"{cells.Count(c => c.InterpolationRate == 1)} of {cells.Count} cells interpolate their noisy training labels in every run.",
            fails == 0 ? "Every applicable verdict passes." : $"{fails} verdicts fail; see the cell table.",
        };
        var env = new RunEnvironment(Machine, "0.1.0", ["f64"], ["rotation-invariant", "subspace"], 123.4, 456.7, runs.Count, Math.Min(6, runs.Count),
            new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        string config = $$"""
            {
              "name": "{{Name.Replace("\"", "\\\"")}}",
              "seeds": {{Seeds}},
              "grid": { "mu": [{{string.Join(", ", Mus.Select(Inv))}}], "d": [{{string.Join(", ", Ds.Select(Inv))}}], "alphaOverMu": [{{string.Join(", ", Ratios.Select(Inv))}}] },
              "settings": { "n": {{N}}, "beta": {{Inv(Beta)}}, "m": {{Width}} }
            }
            """;
        var summary = new ExperimentSummary(Name, Description, Notes,
            $"Reduced scale: {Seeds} seeds per cell (the paper: 10), {Iterations} iterations (the paper: 1000); n and m as in the paper.",
            config, 42, Seeds, C, Delta, Epsilon, new Tolerances(0.05, 0.05), env, cells, Fits(), new VerdictSummary(counts, headlines));
        return (summary, runs);
    }

    private CellSummary GaussianCell(double mu, double d, double alpha, int index, List<RunRecord> runs)
    {
        var settings = Settings(("data", "gaussian"), ("n", Inv(N)), ("d", Inv(d)), ("mu", Inv(mu)), ("alpha", Inv(alpha)), ("beta", Inv(Beta)), ("m", Inv(Width)));
        var a = RegimeAnalysis.Of(Regime.Create(N, d, Width, mu, alpha, Beta, Delta, C), Epsilon);
        var h = a.Heuristic;
        var p = new CellParameters("gaussian", N, d, Width, mu, alpha, Beta);
        var seeds = Runs(settings, index, h.Clean, h.Robust, h.CleanLabelClean, h.CleanLabelRobust, "gaussian-mixture", runs);
        var clean = Stat(seeds.Select(r => r.Metrics!.CleanTest.Rate));
        var robust = Stat(seeds.Select(r => r.Metrics!.RobustTest.Rate));
        var theory = new CellTheory(a.CStar, a.Binding.Id, a.Assumptions.ToDictionary(x => x.Id, x => x.CStar), a.AllHold,
            a.CleanBound.Value, a.RobustBound.Value, a.RobustBound.Reason,
            CNeeded(mu, d, clean.Mean), CNeeded(mu, d, robust.Mean), a.Collapse, a.RobustLowerAnyClassifier,
            a.Gaussian.BayesClean, a.Gaussian.RobustLower, a.Gaussian.LinearRobust, h.Clean, h.Robust, h.CleanLabelClean, h.CleanLabelRobust, Gaussian: true);
        return Cell($"gaussian/mu={Inv(mu)}/d={Inv(d)}/alpha={Inv(alpha)}", settings, p, seeds, theory, Verdicts(clean, robust, theory, p));
    }

    private CellSummary MnistCell(int k, double alpha, int index, List<RunRecord> runs)
    {
        const double muHat = 2.4;
        double d = k * k;
        var settings = Settings(("data", "mnist"), ("n", Inv(N)), ("resolution", Inv(k)), ("alpha", Inv(alpha)), ("beta", "0"), ("m", Inv(Width)));
        var a = RegimeAnalysis.Of(Regime.Create(N, d, Width, muHat, alpha, 0, Delta, C), Epsilon);
        var h = LinearizedInterpolator.Predict(N, d, muHat, alpha, 0);
        // MNIST is easier than the Gaussian model at small α; keep the rise towards 1/2 past α = M̂.
        double clean = 0.002 + 0.01 * k / 28.0, robust = Math.Min(0.6, clean + 0.45 * Math.Pow(alpha / (1.2 * muHat), 2));
        var p = new CellParameters("mnist", N, d, Width, muHat, alpha, 0);
        var seeds = Runs(settings, index, clean, robust, clean, robust, "mnist-0-1", runs);
        var cs = Stat(seeds.Select(r => r.Metrics!.CleanTest.Rate));
        var rs = Stat(seeds.Select(r => r.Metrics!.RobustTest.Rate));
        var theory = new CellTheory(a.CStar, a.Binding.Id, a.Assumptions.ToDictionary(x => x.Id, x => x.CStar), a.AllHold,
            a.CleanBound.Value, a.RobustBound.Value, a.RobustBound.Reason, double.NaN, double.NaN, a.Collapse, a.RobustLowerAnyClassifier,
            double.NaN, double.NaN, double.NaN, h.Clean, h.Robust, h.CleanLabelClean, h.CleanLabelRobust, Gaussian: false);
        return Cell($"mnist/k={k}/alpha={Inv(alpha)}", settings, p, seeds, theory,
            [new Verdict("interpolates", Outcome.Pass, "every run interpolates"), new Verdict("collapse", alpha >= muHat ? (rs.Mean >= 0.45 ? Outcome.Pass : Outcome.Fail) : Outcome.NotApplicable, "α vs M̂")]);
    }

    private SortedDictionary<string, string> Settings(params (string Key, string Value)[] kv)
    {
        var s = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in kv) s[k] = v;
        foreach (var (k, v) in Extra) s[k] = v;
        return s;
    }

    private List<RunRecord> Runs(SortedDictionary<string, string> settings, int cellIndex, double clean, double robust, double cleanCl, double robustCl, string dataset, List<RunRecord> all)
    {
        var list = new List<RunRecord>();
        for (int s = 0; s < Seeds; s++)
        {
            ulong seed = (ulong)(1000 * cellIndex + s);
            var rng = new Random((int)seed + 17);
            double Noisy(double v) => Math.Clamp(v + 0.012 * (rng.NextDouble() * 2 - 1), 0, 1);
            var runSettings = new SortedDictionary<string, string>(settings, StringComparer.Ordinal) { ["seed"] = seed.ToString(CultureInfo.InvariantCulture) };
            int[] it = Curves ? Enumerable.Range(0, Iterations / 10 + 1).Select(i => i * 10).ToArray() : [];
            double tau = 40 + 60 * rng.NextDouble();
            double[] loss = it.Select(t => Math.Log(2) * Math.Exp(-t / tau) + 1e-6).ToArray();
            double[] err = it.Select(t => Math.Max(0, 0.5 * Math.Exp(-t / (0.5 * tau)))).ToArray();
            var metrics = new RunMetrics(true, Est(Noisy(clean)), Est(Noisy(robust)), Est(Noisy(cleanCl)), Est(Noisy(robustCl)),
                Est(0), Est(0), loss.LastOrDefault(1e-6), 0, 20);
            var prov = new RunProvenance("0.1.0", "OpenBLAS (libopenblas.so.0)", "f64", dataset == "mnist-0-1" ? "subspace" : "rotation-invariant", 601, dataset,
                double.Parse(settings["alpha"], CultureInfo.InvariantCulture), 0.5, 1e-4, "Pgd", "Pgd", "LeakyRelu", Machine);
            var rec = new RunRecord(RunRecord.CurrentSchema, runSettings, seed, prov, metrics, null,
                new TrainingCurve(it, loss, err, err, it.Select(t => 0.01 * t).ToArray()), new RunTimingsRecord(0.1, 2.5, 0.3, 0.005));
            list.Add(rec);
            all.Add(rec);
        }
        return list;
    }

    private static CellSummary Cell(string key, SortedDictionary<string, string> settings, CellParameters p, List<RunRecord> seeds, CellTheory theory, IReadOnlyList<Verdict> verdicts)
    {
        var iters = seeds[0].Curve.Iteration;
        var curve = new MeanCurve(iters,
            iters.Select((_, i) => seeds.Average(r => r.Curve.RobustLoss[i])).ToArray(),
            iters.Select((_, i) => seeds.Average(r => r.Curve.RobustError[i])).ToArray());
        return new CellSummary(key, settings, p, seeds.Count, 0,
            Stat(seeds.Select(r => r.Metrics!.CleanTest.Rate)), Stat(seeds.Select(r => r.Metrics!.RobustTest.Rate)),
            Stat(seeds.Select(r => r.Metrics!.CleanTestCleanLabels.Rate)), Stat(seeds.Select(r => r.Metrics!.RobustTestCleanLabels.Rate)),
            Stat(seeds.Select(r => r.Metrics!.RobustTrainLoss)), 1.0, theory, verdicts, curve);
    }

    private List<Verdict> Verdicts(Statistic clean, Statistic robust, CellTheory t, CellParameters p)
    {
        const double tol = 0.05;
        Outcome Within(double measured, bool applies) => !applies ? Outcome.NotApplicable : Math.Abs(measured - p.Beta) <= tol ? Outcome.Pass : Outcome.Fail;
        return
        [
            new Verdict("interpolates", Outcome.Pass, "every run interpolates"),
            new Verdict("benign-clean", Within(clean.Mean, Math.Abs(t.HeuristicClean - p.Beta) <= tol), "predicted benign"),
            new Verdict("benign-robust", Within(robust.Mean, !t.Collapse && Math.Abs(t.HeuristicRobust - p.Beta) <= tol), "predicted benign"),
            new Verdict("collapse", t.Collapse ? (robust.Mean >= 0.5 - tol ? Outcome.Pass : Outcome.Fail) : Outcome.NotApplicable, "α ≥ M"),
            new Verdict("bound-clean", t.CleanBoundAtC is { } cb && t.HypothesesHoldAtC ? (clean.Mean <= cb ? Outcome.Pass : Outcome.Fail) : Outcome.NotApplicable, "at C"),
            new Verdict("bound-robust", t.RobustBoundAtC is { } rb && t.HypothesesHoldAtC ? (robust.Mean <= rb ? Outcome.Pass : Outcome.Fail) : Outcome.NotApplicable, "at C"),
        ];
    }

    /// <summary>Smallest C with β + 2·exp(−n·M⁴/(C·d)) ≥ mean.</summary>
    private double CNeeded(double mu, double d, double mean)
    {
        double excess = mean - Beta;
        if (excess <= 0) return 0;
        if (excess >= 2) return double.PositiveInfinity;
        return N * Math.Pow(mu, 4) / (d * Math.Log(2 / excess));
    }

    private List<PhaseBoundaryFit> Fits()
    {
        var fits = new List<PhaseBoundaryFit>();
        if (Mus.Length < 2) return fits;
        foreach (double r in Ratios)
        {
            foreach (bool robust in new[] { false, true })
            {
                var pts = Mus.Select(mu => (mu, d: robust
                        ? Verify.Bounds.Inverse.InverseQueries.HeuristicRobustBoundary(N, mu, r, Beta, Epsilon)
                        : Verify.Bounds.Inverse.InverseQueries.HeuristicCleanBoundary(N, mu, Beta, Epsilon)))
                    .Where(t => t.d is > 1 and < double.PositiveInfinity && t.d >= Ds.Min() && t.d <= Ds.Max())
                    .Select(t => new BoundaryPoint(t.mu, t.d!.Value * 1.15)).ToList();
                double theory = robust ? 2 : 4;
                if (pts.Count < 2)
                {
                    fits.Add(new PhaseBoundaryFit(robust ? "robust" : "clean", r, pts, double.NaN, double.NaN, double.NaN, double.NaN, theory,
                        "fewer than two crossings inside the grid"));
                    continue;
                }
                var xs = pts.Select(q => Math.Log(q.Mu)).ToArray();
                var ys = pts.Select(q => Math.Log(q.D)).ToArray();
                double mx = xs.Average(), my = ys.Average();
                double slope = xs.Zip(ys, (x, y) => (x - mx) * (y - my)).Sum() / xs.Sum(x => (x - mx) * (x - mx));
                fits.Add(new PhaseBoundaryFit(robust ? "robust" : "clean", r, pts, slope, slope - 0.7, slope + 0.7, my - slope * mx, theory, null));
            }
        }
        return fits;
    }

    private static Estimate Est(double rate)
    {
        const int total = 2000;
        int errors = (int)Math.Round(rate * total);
        double p = (double)errors / total, z = 1.959964, z2 = z * z;
        double centre = (p + z2 / (2 * total)) / (1 + z2 / total);
        double half = z * Math.Sqrt(p * (1 - p) / total + z2 / (4.0 * total * total)) / (1 + z2 / total);
        return new Estimate(errors, total, p, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    private static Statistic Stat(IEnumerable<double> values)
    {
        var v = values.ToArray();
        double mean = v.Average();
        double sd = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
        double[] t = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262];
        double q = v.Length - 2 < t.Length ? t[Math.Max(0, v.Length - 2)] : 1.96;
        double half = v.Length > 1 ? q * sd / Math.Sqrt(v.Length) : 0;
        return new Statistic(v.Length, mean, sd, v.Min(), v.Max(), Math.Max(0, mean - half), Math.Min(1, mean + half));
    }

    private static string Inv(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    private static string Inv(int v) => v.ToString(CultureInfo.InvariantCulture);
}
