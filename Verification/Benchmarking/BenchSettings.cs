using Verify.Verification.Output;

namespace Verify.Verification.Benchmarking;

/// <summary>One configuration, the same on both sides.</summary>
public sealed record BenchSettings(int N, int D, int Width, double Mu, double Alpha, int Iterations, int PgdSteps,
    double? LearningRate, int Repeats, bool Float32, string Python, string? Baseline)
{
    /// <summary>β of the data on both sides (the baseline's default).</summary>
    public const double Beta = 0.1;
    /// <summary>Test points: not timed, kept small so that each run stays short.</summary>
    public const int TestPoints = 200;
    public const int Seed = 0;

    public BenchSettings Validate()
    {
        if (N < 1) throw new InvalidInputException("n", N.ToString(), "an integer ≥ 1");
        if (D < 1) throw new InvalidInputException("d", D.ToString(), "an integer ≥ 1");
        if (Width < 2 || Width % 2 != 0) throw new InvalidInputException("m", Width.ToString(), "an even integer ≥ 2");
        if (!(Mu >= 0) || !double.IsFinite(Mu)) throw new InvalidInputException("mu", Fmt.Inv(Mu), "a finite number ≥ 0");
        if (!(Alpha >= 0) || !double.IsFinite(Alpha)) throw new InvalidInputException("alpha", Fmt.Inv(Alpha), "a finite number ≥ 0");
        if (Iterations < 1) throw new InvalidInputException("iters", Iterations.ToString(), "an integer ≥ 1");
        if (PgdSteps < 0) throw new InvalidInputException("pgd", PgdSteps.ToString(), "an integer ≥ 0");
        if (LearningRate is { } eta && !(eta > 0 && double.IsFinite(eta))) throw new InvalidInputException("lr", Fmt.Inv(eta), "a finite number > 0");
        if (Repeats < 1) throw new InvalidInputException("repeats", Repeats.ToString(), "an integer ≥ 1");
        if (string.IsNullOrWhiteSpace(Python)) throw new InvalidInputException("python", "''", "a path to a Python interpreter");
        if (Baseline is { } b && !File.Exists(b)) throw new InvalidInputException("baseline", b, $"an existing file (the path to {PythonBaseline.FileName})");
        return this;
    }

    public string PrecisionName => Float32 ? "f32" : "f64";
}
