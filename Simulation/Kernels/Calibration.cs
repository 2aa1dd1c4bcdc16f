using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json.Serialization;

namespace Verify.Simulation.Kernels;

/// <summary>
/// Seconds the managed kernel and OpenBLAS took for the same products of the hot shapes, measured
/// side by side on one machine (<see cref="Machine"/> says which machine, kernels and versions); or,
/// with <see cref="Problem"/> set (and no times), why OpenBLAS cannot be used there at all: it disagreed
/// with the managed kernel, or crashed when tried in a child process.
/// </summary>
public sealed record Calibration(string Machine, double ManagedSeconds, double OpenBlasSeconds, DateTimeOffset MeasuredAt, string? Problem = null)
{
    /// <summary>
    /// How much faster OpenBLAS must measure to be chosen. Within it the two are a tie (repeated
    /// calibrations on one machine scatter by a few percent), and a tie goes to the managed kernel:
    /// its results do not depend on the thread count, and every machine of a kind then makes the same choice.
    /// </summary>
    public const double OpenBlasMargin = 1.05;

    [JsonIgnore] public BlasChoice Choice => Problem is null && OpenBlasSeconds * OpenBlasMargin < ManagedSeconds ? BlasChoice.OpenBlas : BlasChoice.Managed;

    /// <summary>Managed time over OpenBLAS time: above 1, OpenBLAS measured faster.</summary>
    [JsonIgnore] public double OpenBlasSpeedup => ManagedSeconds / OpenBlasSeconds;

    [JsonIgnore] public bool IsValid => !string.IsNullOrEmpty(Machine) && (Problem is null
        ? double.IsFinite(ManagedSeconds) && ManagedSeconds > 0 && double.IsFinite(OpenBlasSeconds) && OpenBlasSeconds > 0
        : Problem.Length > 0);

    /// <summary>"OpenBLAS cannot be used on this machine, because ...".</summary>
    public static Calibration Unusable(string machine, string problem) => new(machine, 0, 0, DateTimeOffset.UtcNow, problem);

    /// <summary>Why <see cref="Choice"/>: "1.12× faster than managed", "1.10× faster than openblas", "a tie with openblas (1.03×)".</summary>
    public string Verdict(string managed, string openBlas)
    {
        double r = OpenBlasSpeedup;
        var c = CultureInfo.InvariantCulture;
        return Choice == BlasChoice.OpenBlas ? string.Create(c, $"{r:F2}× faster than {managed}")
            : r < 1 ? string.Create(c, $"{1 / r:F2}× faster than {openBlas}")
            : string.Create(c, $"a tie with {openBlas} (it measured {r:F2}× faster, within the {OpenBlasMargin:F2}× margin it must beat)");
    }
}

/// <summary>
/// Times two kernels on the products one adversarial GD iteration is made of (n = 100, m = 1000,
/// D = 600: forward X·Wᵀ, input gradient G·W, weight update Gᵀ·X, weighted 21 : 20 : 1 as in a PGD-20
/// iteration, and multiplying by W as each kernel does in an attack), in f64 and f32, on one thread
/// (the share of a run in a parallel sweep) and on all cores (a single run). The two alternate product
/// by product and each keeps its fastest of several repetitions, so that a drift in machine speed hits
/// both alike. About half a second.
/// </summary>
internal static class Calibrator
{
    private const int N = 100, M = 1000, D = 600, Repeats = 9;

    public static (double First, double Second) Measure(IGemm first, IGemm second)
    {
        int[] threads = Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];
        int keepFirst = first.Threads, keepSecond = second.Threads;
        try
        {
            double a = 0, b = 0;
            foreach (int t in threads)
            {
                first.Threads = t;
                second.Threads = t;
                var (a64, b64) = Measure<double>(first, second);
                var (a32, b32) = Measure<float>(first, second);
                a += a64 + a32;
                b += b64 + b32;
            }
            return (a, b);
        }
        finally
        {
            first.Threads = keepFirst;
            second.Threads = keepSecond;
        }
    }

    private static (double, double) Measure<T>(IGemm first, IGemm second) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = Values<T>(N * D); var w = Values<T>(M * D); var g = Values<T>(N * M);
        var c = new T[M * D];
        var packedW = new PackedOperand<T>();
        // Each shape weighted by its products per PGD-20 iteration; W is the same in all products of an
        // attack, and the managed kernel multiplies by it packed once per attack (MarginKernel.Freeze).
        (bool, bool, int, int, int, T[], int, T[], int, int Weight, bool ByW)[] shapes =
        [
            (false, true, N, M, D, x, D, w, D, 21, true),   // forward: X·Wᵀ
            (false, false, N, D, M, g, M, w, D, 20, true),  // input gradient: G·W
            (true, false, M, D, N, g, M, x, D, 1, false),   // weight update: Gᵀ·X
        ];
        double sumFirst = 0, sumSecond = 0;
        foreach (var (ta, tb, m, n, k, a, lda, b, ldb, weight, byW) in shapes)
        {
            foreach (var gemm in new[] { first, second })
                if (byW && gemm is ManagedGemm mg) mg.Pack(packedW, tb, k, n, b, ldb);
            double bestFirst = double.PositiveInfinity, bestSecond = double.PositiveInfinity;
            for (int r = 0; r <= Repeats; r++) // repetition 0 warms up (JIT, packing buffers, worker threads)
            {
                double tf = Time(first), ts = Time(second);
                if (r == 0) continue;
                bestFirst = Math.Min(bestFirst, tf);
                bestSecond = Math.Min(bestSecond, ts);
            }
            sumFirst += weight * bestFirst;
            sumSecond += weight * bestSecond;

            double Time(IGemm gemm)
            {
                long start = Stopwatch.GetTimestamp();
                if (byW && gemm is ManagedGemm mg) mg.Gemm(ta, m, T.One, a, lda, packedW, T.Zero, c.AsSpan(), n);
                else gemm.Gemm(ta, tb, m, n, k, T.One, a, lda, b, ldb, T.Zero, c, n);
                return Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
        }
        return (sumFirst, sumSecond);
    }

    private static T[] Values<T>(int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var v = new T[length];
        for (int i = 0; i < length; i++) v[i] = T.CreateTruncating(Math.Sin(0.7 * i + 0.3));
        return v;
    }
}
