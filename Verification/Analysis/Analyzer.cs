using System.Globalization;
using Verify.Simulation.Kernels;
using Verify.Verification.Cli;
using Verify.Verification.Experiments;
using Verify.Verification.Results;

namespace Verify.Verification.Analysis;

/// <summary>Turns an experiment's plan and stored runs into the <see cref="ExperimentSummary"/> a report renders.</summary>
public static class Analyzer
{
    public static ExperimentSummary Summarize(ExperimentConfig config, IReadOnlyList<PlannedRun> plan,
        IReadOnlyDictionary<string, RunRecord> records, int reused, double wallSeconds)
    {
        var tol = new Tolerances(config.BenignTolerance, config.CollapseTolerance);
        var cells = new List<CellSummary>();
        foreach (var cell in plan.GroupBy(r => r.CellKey).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var recs = cell.Select(r => records.GetValueOrDefault(r.Id)).OfType<RunRecord>().ToList();
            if (recs.Count == 0) continue;
            cells.Add(Cell(cell.Key, cell.First().Settings, recs, config, tol));
        }
        var fits = PhaseBoundaries.Fit(cells, config.Epsilon);
        var all = records.Values.ToList();
        var env = new RunEnvironment(
            all.FirstOrDefault()?.Provenance.Environment ?? EnvironmentInfo.Current(Backend.Describe(Backend.Default)),
            all.Select(r => r.Provenance.Version).Distinct().DefaultIfEmpty(Simulation.Runs.Simulator.Version).Aggregate((a, b) => a + ", " + b),
            all.Select(r => r.Provenance.Precision).Distinct().Order().ToList(),
            all.Select(r => r.Provenance.Mode).Distinct().Order().ToList(),
            wallSeconds,
            all.Sum(r => r.Timings.SetupSeconds + r.Timings.TrainingSeconds + r.Timings.EvaluationSeconds),
            all.Count,
            reused,
            DateTimeOffset.UtcNow);
        string scale = config.Scale ?? "as configured";
        int missing = plan.Count - plan.Count(r => records.ContainsKey(r.Id));
        if (missing > 0) scale += $"; {missing} of {plan.Count} planned runs have no result yet and are left out";
        return new ExperimentSummary(config.Name, config.Description, config.Notes, scale, config.AsRunJson, config.MasterSeed, config.Seeds,
            config.C, config.Delta, config.Epsilon, tol, env, cells, fits, Summarize(cells, fits, config, tol));
    }

    private static CellSummary Cell(string key, IReadOnlyDictionary<string, string> settingsWithSeed, List<RunRecord> recs, ExperimentConfig config, Tolerances tol)
    {
        var settings = new SortedDictionary<string, string>(settingsWithSeed.Where(kv => kv.Key != "seed").ToDictionary(), StringComparer.Ordinal);
        var ok = recs.Where(r => r.Metrics is not null).ToList();
        var p = Parameters(settings, ok);
        Statistic Rate(Func<RunMetrics, Estimate> pick)
        {
            var values = ok.Select(r => pick(r.Metrics!).Rate).ToList();
            var single = ok.Count == 1 ? (pick(ok[0].Metrics!).WilsonLow, pick(ok[0].Metrics!).WilsonHigh) : ((double, double)?)null;
            return Statistics.Of(values, single);
        }
        var clean = Rate(m => m.CleanTest);
        var robust = Rate(m => m.RobustTest);
        double interpolation = ok.Count == 0 ? 0 : ok.Count(r => r.Metrics!.Interpolates) / (double)recs.Count;
        var theory = CellTheoryBuilder.At(p, config.C, config.Delta, config.Epsilon, clean.Mean, robust.Mean);
        return new CellSummary(key, settings, p, recs.Count, recs.Count - ok.Count, clean, robust,
            Rate(m => m.CleanTestCleanLabels), Rate(m => m.RobustTestCleanLabels),
            Statistics.Of(ok.Select(r => r.Metrics!.RobustTrainLoss).ToList(), rate: false),
            interpolation, theory, Verdicts.At(p, clean, robust, interpolation, theory, tol), MeanCurveOf(recs));
    }

    /// <summary>The cell in the paper's notation; Gaussian values in units of σ.</summary>
    public static CellParameters Parameters(IReadOnlyDictionary<string, string> s, IReadOnlyList<RunRecord> runs)
    {
        double D(string k, double def = double.NaN) => s.TryGetValue(k, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : def;
        string data = s.TryGetValue("data", out var dv) ? dv : "gaussian";
        double sigma = D("sigma", 1);
        double alpha = D("alpha", 0);
        if (data == "gaussian")
            return new CellParameters(data, (int)D("n"), D("d"), (int)D("m"), D("mu") / sigma, alpha / sigma, D("beta"));
        double res = D("resolution");
        double signal = runs.Select(r => r.Provenance.SignalNorm ?? double.NaN).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
        double noise = runs.Select(r => r.Provenance.NoiseScale ?? double.NaN).Where(double.IsFinite).DefaultIfEmpty(1).Average();
        return new CellParameters(data, (int)D("n"), res * res, (int)D("m"), signal, alpha, D("beta"), noise);
    }

    private static MeanCurve MeanCurveOf(List<RunRecord> recs)
    {
        var curves = recs.Select(r => r.Curve).Where(c => c.Iteration.Length > 0).ToList();
        if (curves.Count == 0) return new MeanCurve([], [], []);
        int len = curves.Min(c => c.Iteration.Length);
        var first = curves[0];
        return new MeanCurve(first.Iteration[..len],
            Enumerable.Range(0, len).Select(i => curves.Average(c => c.RobustLoss[i])).ToArray(),
            Enumerable.Range(0, len).Select(i => curves.Average(c => c.RobustError[i])).ToArray());
    }

    /// <summary>Where interpolation fails, is it where the dimension is too small for the noise to be memorized (d &lt; n·M², A2's first term)?</summary>
    private static string NotInterpolating(List<CellSummary> cells)
    {
        var failing = cells.Where(c => c.InterpolationRate < 1).ToList();
        if (failing.Count == 0) return "";
        int small = failing.Count(c => c.Parameters.D < c.Parameters.N * Math.Pow(c.Parameters.Mu / c.Parameters.NoiseScale, 2));
        return $" Of the {failing.Count} that do not, {small} have d < n·M² (A2 fails there already at C = 1).";
    }

    private static VerdictSummary Summarize(List<CellSummary> cells, IReadOnlyList<PhaseBoundaryFit> fits, ExperimentConfig config, Tolerances tol)
    {
        var kinds = new[] { "interpolates", "benign-clean", "benign-robust", "collapse", "bound-clean", "bound-robust" };
        var counts = kinds.Select(k =>
        {
            var v = cells.SelectMany(c => c.Verdicts).Where(x => x.Kind == k).ToList();
            return new VerdictCount(k, v.Count(x => x.Outcome == Outcome.Pass), v.Count(x => x.Outcome == Outcome.Fail), v.Count(x => x.Outcome == Outcome.NotApplicable));
        }).ToList();
        VerdictCount C(string k) => counts.Single(c => c.Kind == k);
        string Of(VerdictCount c) => $"{c.Pass}/{c.Pass + c.Fail}";
        double beta = cells.Select(c => c.Parameters.Beta).DefaultIfEmpty(double.NaN).First();
        var lines = new List<string>
        {
            $"Interpolation: {Of(C("interpolates"))} cells reach robust training error 0 in every run." + NotInterpolating(cells),
        };
        if (C("benign-clean").Pass + C("benign-clean").Fail > 0 || C("benign-robust").Pass + C("benign-robust").Fail > 0)
            lines.Add($"Benign overfitting where predicted (error ≤ β + {Fmt.Num(tol.Benign)}, β = {Fmt.Num(beta)}): clean {Of(C("benign-clean"))} cells, robust {Of(C("benign-robust"))} cells.");
        if (C("collapse").Pass + C("collapse").Fail > 0)
            lines.Add($"Collapse at α ≥ M (Theorem 3.2): {Of(C("collapse"))} cells have robust error ≥ 1/2 − {Fmt.Num(tol.Collapse)}.");
        foreach (var f in fits.Where(f => double.IsFinite(f.Slope)))
            lines.Add($"Phase boundary ({f.Metric} error = β + {Fmt.Num(config.Epsilon)}, α/M = {Fmt.Num(f.AlphaOverMu)}): fitted slope {Fmt.Num(f.Slope, 3)}"
                + (double.IsFinite(f.SlopeLow95) ? $" [95%: {Fmt.Num(f.SlopeLow95, 3)}, {Fmt.Num(f.SlopeHigh95, 3)}]" : "") + $" in log M–log d; theory {f.TheorySlope:0} (asymptotic)"
                + (double.IsFinite(f.HeuristicSlope) ? $", HEURISTIC boundary at the same M {Fmt.Num(f.HeuristicSlope, 3)}." : "."));
        var bc = C("bound-clean");
        lines.Add(bc.Pass + bc.Fail > 0
            ? $"RECONSTRUCTED bound at C = {Fmt.Num(config.C)}: hypotheses hold in {bc.Pass + bc.Fail} cells; the clean error is within the bound in {bc.Pass}."
            : $"RECONSTRUCTED bound at C = {Fmt.Num(config.C)}: the hypotheses hold in no cell of this grid (see C* per cell); the paper's C is unknown.");
        return new VerdictSummary(counts, lines);
    }
}
