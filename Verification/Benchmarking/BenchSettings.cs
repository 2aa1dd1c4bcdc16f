using Verify.Simulation.Settings;
namespace Verify.Verification.Benchmarking;

/// <summary>One configuration, the same on both sides.</summary>
internal sealed record BenchSettings(int N, long D, int Width, double Mu, double Alpha, int Iterations, int PgdSteps,
    double? LearningRate, int Repeats, bool Float32, string Python, string? Baseline)
{
    /// <summary>β of the data on both sides (the baseline's default).</summary>
    public const double Beta = 0.1;
    /// <summary>Test points: not timed, kept small so that each run stays short.</summary>
    public const int TestPoints = 200;
    public const int Seed = 0;

    /// <summary>What the settings do not check already: an iteration to time, the repeats and the baseline's files.</summary>
    public BenchSettings Validate()
    {
        Keys.Width.Check(Width);
        if (Iterations < 1) throw InvalidInputException.MustBe(Keys.Iterations.Name, Iterations.ToString(), "an integer ≥ 1 (a timed run needs an iteration)");
        if (Repeats < 1) throw InvalidInputException.MustBe("repeats", Repeats.ToString(), "an integer ≥ 1");
        if (string.IsNullOrWhiteSpace(Python)) throw InvalidInputException.MustBe("python", "''", "a path to a Python interpreter");
        if (Baseline is { } b && !File.Exists(b)) throw InvalidInputException.MustBe("baseline", b, $"an existing file (the path to {PythonBaseline.FileName})");
        return this;
    }

    public string PrecisionName => Keys.Precision.Format(Float32 ? Precision.Single : Precision.Double);
}
