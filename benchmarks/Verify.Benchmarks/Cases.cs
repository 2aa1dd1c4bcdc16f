using Verify.Simulation.Settings;
using Verify.Simulation;
using Verify.Simulation.Data;
using Verify.Simulation.Embedding;
using Verify.Simulation.Kernels;
using Verify.Simulation.Runs;

namespace Verify.Benchmarks;

/// <summary>
/// Which (d, mode, precision) combinations can run here, and why the others cannot. Used both to
/// filter the benchmark cases (in the host and in each benchmark process) and to print the notes.
/// </summary>
public static class Cases
{
    /// <summary>The paper's synthetic setting.</summary>
    public const int N = 100, Width = 1000, Half = Width / 2, K = Half + N;
    public const double Mu = 5, Alpha = 0.5, Beta = 0.1;

    /// <summary>Combinations whose estimated peak memory is above this are skipped.</summary>
    public const double MemoryLimitBytes = 8e9;

    public static readonly int[] Dimensions = [1_000, 10_000, 100_000, 1_000_000];

    private static readonly Lazy<string?> RotationInvariantProblem = new(() =>
    {
        // A tiny spec: whatever the mode needs, this is cheap. Null when the mode works.
        var probe = new RunSpec { Data = new GaussianMixture(4, 1, 16, 1, 0), Width = 2, Mode = EmbeddingMode.RotationInvariant, Seed = 1 };
        try { Simulator.Realize(probe, ManagedGemm.Instance); return null; }
        catch (InvalidInputException ex) { return ex.Message; }
    });

    /// <summary>
    /// Peak bytes of realizing a problem with <paramref name="nTest"/> test points. Subspace: the m/2
    /// initial rows and the n inputs in R^d, the k×d matrix they form and the two Cholesky-QR factors
    /// (k = m/2 + n), plus one test chunk. Naive: everything in R^d, weights and trainer buffers included.
    /// Rotation-invariant: whatever it needs is not known yet; the distinct rows and inputs in R^d at most.
    /// </summary>
    public static double EstimatedBytes(int d, EmbeddingMode mode, int nTest) => mode switch
    {
        EmbeddingMode.Subspace => 8.0 * d * (Half + N + 3.0 * K + Embedder.TestChunkRows) + 8.0 * nTest * K,
        EmbeddingMode.Naive => 8.0 * d * (Half + N + nTest + 2.0 * Width + 4.0 * N),
        _ => 8.0 * d * (Half + N),
    };

    /// <summary>Null when the combination runs; otherwise why it is skipped.</summary>
    public static string? SkipReason(int d, EmbeddingMode mode, int nTest)
    {
        if (mode == EmbeddingMode.Naive && d != 1_000) return "naive mode is benchmarked at d = 1e3 only";
        if (mode == EmbeddingMode.Subspace && d <= K) return $"subspace mode needs d > n + m/2 = {K}";
        if (mode == EmbeddingMode.RotationInvariant && RotationInvariantProblem.Value is { } why) return "not available: " + why;
        double bytes = EstimatedBytes(d, mode, nTest);
        if (bytes > MemoryLimitBytes)
            return $"needs ≈ {bytes / 1e9:0.#} GB to set up (> {MemoryLimitBytes / 1e9:0} GB limit); " +
                   (mode == EmbeddingMode.Subspace ? "the per-iteration cost in subspace mode does not depend on d (R = m/2 + n), see the d = 1e5 row" : "skipped");
        return null;
    }

    public static string Label(int d, EmbeddingMode mode) => $"d = {d:0.#e+0}, {Keys.Mode.Format(mode)}";

    public static string BackendDescription()
    {
        var ob = OpenBlas.TryLoad();
        string core = Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") is { Length: > 0 } c ? $", OPENBLAS_CORETYPE={c}" : "";
        string other = ob is null ? "; OpenBLAS not loadable" : ReferenceEquals(ob, Backend.Default) ? "" : "; also loaded: " + Backend.Describe(ob);
        return $"default kernel: {Backend.Describe(Backend.Default)}{other}{core}";
    }
}
