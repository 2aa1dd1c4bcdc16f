using Verify.Simulation.Settings;
using System.Globalization;
using Verify.Bounds.Heuristic;
using Verify.Verification.Analysis;
using Verify.Verification.Results;
using Verify.Verification.Settings;

namespace Verify.Verification.Tests.Reports;

/// <summary>
/// Builds a plausible <see cref="ExperimentSummary"/> and its runs without training anything: a grid
/// of (M, d, α/M) Gaussian cells (and optionally MNIST cells) whose "measured" errors are the
/// HEURISTIC prediction plus a little deterministic noise, summarized by the real <see cref="Analyzer"/>.
/// </summary>
internal sealed class SyntheticSummary
{
    public string Name { get; init; } = "synthetic grid";
    public string Description { get; init; } = "A synthetic experiment for the report tests: a 3×3 grid of (M, d) at two values of α/M.";
    public string? Notes { get; init; } = "Measurements are the heuristic prediction plus noise; nothing was trained.";
    public double[] Mus { get; init; } = [2, 4, 8];
    public double[] Ds { get; init; } = [100, 1000, 10000];
    public double[] Ratios { get; init; } = [0.25, 0.5];
    /// <summary>α of the MNIST cells under unit norm (M̂ = 2.4); other normalizations sweep the same fractions of their M̂.</summary>
    public double[] MnistAlphas { get; init; } = [];
    public int[] MnistResolutions { get; init; } = [7, 14, 28];
    public string[] MnistNormalizations { get; init; } = ["unit-norm"];
    public double[] MnistBetas { get; init; } = [0];
    public int Seeds { get; init; } = 3;
    public int N { get; init; } = 100;
    public int Width { get; init; } = 1000;
    public double Beta { get; init; } = 0.1;
    public double C { get; init; } = 1;
    public double Delta { get; init; } = 0.05;
    public double Epsilon { get; init; } = 0.05;
    public bool Curves { get; init; } = true;
    public int Iterations { get; init; } = 500;
    /// <summary>Extra settings put on every cell and run (e.g. a text value with a comma, for the CSV).</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();

    private static readonly EnvironmentInfo Machine = new("Synthetic CPU @ 3.0GHz", 2, ".NET 10.0.0", "Debian GNU/Linux 12 (bookworm)", "OpenBLAS (libopenblas.so.0)");

    public (ExperimentSummary Summary, List<RunRecord> Runs) Build()
    {
        var cells = new List<CellRuns>();
        var runs = new List<RunRecord>();
        int cellIndex = 0;
        foreach (double ratio in Ratios)
            foreach (double mu in Mus)
                foreach (double d in Ds)
                    cells.Add(GaussianCell(mu, d, ratio * mu, cellIndex++, runs));
        foreach (string normalization in MnistNormalizations)
            foreach (double beta in MnistBetas)
                foreach (double alpha in MnistAlphas)
                    foreach (int k in MnistResolutions)
                        cells.Add(MnistCell(k, alpha, normalization, beta, cellIndex++, runs));

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
        var info = new ExperimentInfo(Name, Description, Notes,
            $"Reduced scale: {Seeds} seeds per cell (the paper: 10), {Iterations} iterations (the paper: 1000); n and m as in the paper.",
            config, new Seeding(42, Seeds), new TheoryConstants(C, Delta, Epsilon), new Tolerances(0.05));
        return (Analyzer.Summarize(info, cells, env), runs);
    }

    private CellRuns GaussianCell(double mu, double d, double alpha, int index, List<RunRecord> runs)
    {
        var settings = Settings(("data", "gaussian"), ("n", Inv(N)), ("d", Inv(d)), ("mu", Inv(mu)), ("alpha", Inv(alpha)), ("beta", Inv(Beta)), ("m", Inv(Width)));
        var h = LinearizedInterpolator.Predict(N, d, mu, alpha, Beta);
        var seeds = Runs(settings, index, h.Clean, h.Robust, h.CleanLabelClean, h.CleanLabelRobust, "gaussian-mixture", null, runs);
        return new CellRuns($"gaussian/mu={Inv(mu)}/d={Inv(d)}/alpha={Inv(alpha)}", settings, seeds);
    }

    /// <summary>M̂ is 2.4 under unit norm and 12 times that otherwise; <paramref name="unitAlpha"/> is α under unit norm, scaled alike.</summary>
    private CellRuns MnistCell(int k, double unitAlpha, string normalization, double beta, int index, List<RunRecord> runs)
    {
        const double unitMuHat = 2.4;
        double muHat = normalization == "unit-norm" ? unitMuHat : 12 * unitMuHat;
        double alpha = unitAlpha * muHat / unitMuHat;
        var settings = Settings(("data", "mnist"), ("n", Inv(N)), ("resolution", Inv(k)), ("alpha", Inv(alpha)), ("beta", Inv(beta)), ("m", Inv(Width)),
            ("normalization", normalization));
        // MNIST is easier than the Gaussian model at small α; keep the rise towards 1/2 past α = M̂.
        double clean = beta + 0.002 + 0.01 * k / 28.0, robust = Math.Min(0.6, clean + 0.45 * Math.Pow(alpha / (1.2 * muHat), 2));
        var seeds = Runs(settings, index, clean, robust, clean, robust, "mnist-0-1", muHat, runs);
        return new CellRuns($"mnist/{normalization}/beta={Inv(beta)}/k={k}/alpha={Inv(alpha)}", settings, seeds);
    }

    private RunSettings Settings(params (string Key, string Value)[] kv)
        => RunSettings.Parse(kv.Select(t => KeyValuePair.Create(t.Key, t.Value)).Concat(Extra), "the synthetic summary");

    private List<RunRecord> Runs(RunSettings settings, int cellIndex, double clean, double robust, double cleanCl, double robustCl, string dataset,
        double? signalNorm, List<RunRecord> all)
    {
        var list = new List<RunRecord>();
        for (int s = 0; s < Seeds; s++)
        {
            ulong seed = (ulong)(1000 * cellIndex + s);
            var rng = new Random((int)seed + 17);
            double Noisy(double v) => Math.Clamp(v + 0.012 * (rng.NextDouble() * 2 - 1), 0, 1);
            var runSettings = settings.With(Keys.Seed, seed);
            int[] it = Curves ? Enumerable.Range(0, Iterations / 10 + 1).Select(i => i * 10).ToArray() : [];
            double tau = 40 + 60 * rng.NextDouble();
            double[] loss = it.Select(t => Math.Log(2) * Math.Exp(-t / tau) + 1e-6).ToArray();
            double[] err = it.Select(t => Math.Max(0, 0.5 * Math.Exp(-t / (0.5 * tau)))).ToArray();
            var metrics = new RunMetrics(true, Est(Noisy(clean)), Est(Noisy(robust)), Est(Noisy(cleanCl)), Est(Noisy(robustCl)),
                Est(0), Est(0), loss.LastOrDefault(1e-6), 0, 20);
            var prov = new RunProvenance("0.1.0", "OpenBLAS (libopenblas.so.0)", "f64", dataset == "mnist-0-1" ? "subspace" : "rotation-invariant", 601, dataset,
                settings.Get(Keys.Alpha), 0.5, 1e-4, "Pgd", "Pgd", "LeakyRelu", Machine,
                signalNorm, signalNorm is null ? null : 1.0);
            var rec = new RunRecord(RunRecord.CurrentSchema, runSettings, seed, prov, metrics, null,
                new TrainingCurve(it, loss, err, err, it.Select(t => 0.01 * t).ToArray()), new RunTimingsRecord(0.1, 2.5, 0.3, 0.005));
            list.Add(rec);
            all.Add(rec);
        }
        return list;
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

    private static string Inv(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    private static string Inv(int v) => v.ToString(CultureInfo.InvariantCulture);
}
