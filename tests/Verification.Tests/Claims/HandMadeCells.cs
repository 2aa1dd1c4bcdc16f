using Verify.Simulation.Settings;
using System.Globalization;
using Verify.Verification.Analysis;
using Verify.Verification.Results;
using Verify.Verification.Settings;

namespace Verify.Verification.Tests.Claims;

/// <summary>Cells made by hand, run by run, for the claim rules: every number is chosen, nothing trained.</summary>
internal static class HandMadeCells
{
    public const int TestSize = 2000;
    public const double Delta = 0.05;
    private static readonly EnvironmentInfo Machine = new("Hand-made CPU", 2, ".NET 10", "Linux", "managed");

    /// <summary>How a run's robust training loss ends: falling like 1/t, or flat.</summary>
    public enum Loss { Falling, Flat }

    /// <param name="Certified">The certified upper end of the robust error; null: a run written before certification existed.</param>
    /// <param name="TrainUncertified">Training points (of 100) not certified robust; null: no training certificate.</param>
    /// <param name="Tests">Test points of the run.</param>
    public sealed record Run(double Clean, double Robust, bool Interpolates = true, Loss Curve = Loss.Falling, double? Certified = null,
        int? TrainUncertified = 0, int Tests = TestSize);

    public static CellRuns Gaussian(string key, double d, double mu, double alpha, params Run[] runs)
        => Cell(key, Settings(("data", "gaussian"), ("n", "100"), ("d", Inv(d)), ("mu", Inv(mu)), ("alpha", Inv(alpha)), ("beta", "0.1"), ("m", "1000"), ("sigma", "1")),
            runs, null);

    /// <summary>As <see cref="Gaussian"/>, with a label-noise rule and a noise family of the settings (labelNoise, noise).</summary>
    public static CellRuns GaussianModel(string key, string labelNoise, string noise, double d, double mu, double alpha, params Run[] runs)
        => Cell(key, Settings(("data", "gaussian"), ("n", "100"), ("d", Inv(d)), ("mu", Inv(mu)), ("alpha", Inv(alpha)), ("beta", "0.1"), ("m", "1000"), ("sigma", "1"),
            ("labelNoise", labelNoise), ("noise", noise)), runs, null);

    public static CellRuns Mnist(string key, int resolution, double alpha, double muHat, params Run[] runs)
        => Mnist(key, resolution, alpha, muHat, "unit-norm", 0, runs);

    /// <summary>An MNIST cell whose runs measured M̂ = <paramref name="muHat"/> and σ̂ = 1.</summary>
    public static CellRuns Mnist(string key, int resolution, double alpha, double muHat, string normalization, double beta, params Run[] runs)
        => Cell(key, Settings(("data", "mnist"), ("n", "100"), ("resolution", Inv(resolution)), ("alpha", Inv(alpha)), ("beta", Inv(beta)), ("m", "1000"),
            ("normalization", normalization)), runs, muHat);

    private static RunSettings Settings(params (string Key, string Value)[] kv) => RunSettings.Parse(kv.Select(t => KeyValuePair.Create(t.Key, t.Value)), "a hand-made cell");

    /// <summary>Three seeds around a mean error (±<paramref name="spread"/>), every run interpolating with a falling loss.</summary>
    public static Run[] Seeds(double clean, double robust, double spread = 0.01)
        => [new(clean - spread, robust - spread), new(clean, robust), new(clean + spread, robust + spread)];

    /// <summary>As <see cref="Seeds(double, double, double)"/>, each run with a certified upper end <paramref name="certified"/> (± the same spread).</summary>
    public static Run[] Bracketed(double clean, double robust, double certified, double spread = 0.01)
        => [new(clean - spread, robust - spread, Certified: certified - spread), new(clean, robust, Certified: certified),
            new(clean + spread, robust + spread, Certified: certified + spread)];

    public static ExperimentSummary Summarize(double c, params CellRuns[] cells)
    {
        var info = new ExperimentInfo("hand-made", "", null, "hand-made", "{}", new Seeding(1, 3), new TheoryConstants(c, Delta, 0.05), new Tolerances(0.05));
        var env = new RunEnvironment(Machine, "test", ["f64"], ["naive"], 0, 0, cells.Sum(x => x.Runs.Count), 0, DateTimeOffset.UnixEpoch);
        return Analyzer.Summarize(info, cells, env);
    }

    /// <summary>A cell of any settings (for example a planned experiment's), with runs made by hand.</summary>
    public static CellRuns FromSettings(string key, RunSettings settings, params Run[] runs) => Cell(key, settings, runs, null);

    private static CellRuns Cell(string key, RunSettings settings, Run[] runs, double? signalNorm)
    {
        var records = runs.Select((r, i) => Record(settings, (ulong)i, r, signalNorm)).ToList();
        return new CellRuns(key, settings, records);
    }

    private static RunRecord Record(RunSettings settings, ulong seed, Run r, double? signalNorm)
    {
        int[] it = Enumerable.Range(0, 31).Select(i => i * 10).ToArray();
        double[] loss = r.Curve == Loss.Falling ? it.Select(t => 5.0 / (t + 10)).ToArray() : it.Select(t => 0.3 + 0.4 * Math.Exp(-t / 20.0)).ToArray();
        double[] zeros = it.Select(_ => 0.0).ToArray();
        int n = r.Tests;
        int trainErrors = r.Interpolates ? 0 : 20;
        var metrics = new RunMetrics(r.Interpolates, Est(r.Clean, n), Est(r.Robust, n), Est(r.Clean, n), Est(r.Robust, n),
            Est(0, 100), Est(trainErrors / 100.0, 100), loss[^1], 0, 10,
            RobustTestCertified: r.Certified is { } up ? Est(up, n) : null,
            Certification: r.Certified is { } u ? new CertificationRecord(0, n - Est(u, n).Errors, Est(u, n).Errors - Est(r.Robust, n).Errors, 0, 0) : null,
            RobustTrainCertified: r.TrainUncertified is { } tu ? Est(Math.Max(tu, trainErrors) / 100.0, 100) : null);
        var prov = new RunProvenance("test", "managed", "f64", "naive", 10, settings.Text(Keys.Data), settings.Get(Keys.Alpha),
            0.1, 1e-4, "PGD-10", "PGD-20", "leaky ReLU", Machine, signalNorm, signalNorm is null ? null : 1.0);
        var withSeed = settings.With(Keys.Seed, seed);
        return new RunRecord(RunRecord.CurrentSchema, withSeed, seed, prov, metrics, null, new TrainingCurve(it, loss, zeros, zeros, zeros),
            new RunTimingsRecord(0, 0, 0, 0));
    }

    public static Estimate Est(double rate, int total = TestSize)
    {
        int errors = (int)Math.Round(rate * total);
        var (lo, hi) = Statistics.Wilson(errors, total);
        return new Estimate(errors, total, (double)errors / total, lo, hi);
    }

    private static string Inv(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
