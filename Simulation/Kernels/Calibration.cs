using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Verify.Simulation.Kernels;

/// <summary>
/// Seconds the managed kernel and OpenBLAS took for the same products of the hot shapes, measured
/// side by side on one machine (<see cref="Machine"/> says which machine, kernels and versions).
/// </summary>
public sealed record Calibration(string Machine, double ManagedSeconds, double OpenBlasSeconds, DateTimeOffset MeasuredAt)
{
    /// <summary>
    /// How much faster OpenBLAS must measure to be chosen. Within it the two are a tie (repeated
    /// calibrations on one machine scatter by a few percent), and a tie goes to the managed kernel:
    /// its results do not depend on the thread count, and every machine of a kind then makes the same choice.
    /// </summary>
    public const double OpenBlasMargin = 1.05;

    [JsonIgnore] public BlasChoice Choice => OpenBlasSeconds * OpenBlasMargin < ManagedSeconds ? BlasChoice.OpenBlas : BlasChoice.Managed;

    /// <summary>Managed time over OpenBLAS time: above 1, OpenBLAS measured faster.</summary>
    [JsonIgnore] public double OpenBlasSpeedup => ManagedSeconds / OpenBlasSeconds;

    [JsonIgnore] public bool IsValid => !string.IsNullOrEmpty(Machine)
        && double.IsFinite(ManagedSeconds) && ManagedSeconds > 0 && double.IsFinite(OpenBlasSeconds) && OpenBlasSeconds > 0;

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

/// <summary>
/// Calibrations kept between processes in one JSON file, one entry per machine key, so that every run
/// on a machine uses the same backend (and the half second is paid once). Best effort: a file that
/// is missing, unreadable or malformed means "not calibrated yet"; one that cannot be written is left as it is.
/// </summary>
internal static class CalibrationCache
{
    private const int MaxEntries = 16;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private sealed record CacheFile(int Format, List<Calibration> Calibrations);

    public static Calibration? Load(string path, string machine) =>
        Read(path).FirstOrDefault(c => c.Machine == machine && c.IsValid);

    public static bool Save(string path, Calibration calibration)
    {
        try
        {
            var entries = Read(path).Where(c => c.Machine != calibration.Machine && c.IsValid)
                .OrderByDescending(c => c.MeasuredAt).Take(MaxEntries - 1).Prepend(calibration).ToList();
            string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
            Directory.CreateDirectory(dir);
            string temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
            File.WriteAllText(temp, JsonSerializer.Serialize(new CacheFile(1, entries), Json));
            File.Move(temp, path, overwrite: true); // atomic: a parallel task reads the old file or the new one
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return false;
        }
    }

    private static List<Calibration> Read(string path)
    {
        try
        {
            if (!File.Exists(path)) return [];
            var file = JsonSerializer.Deserialize<CacheFile>(File.ReadAllText(path), Json);
            return file is { Format: 1, Calibrations: { } list } ? list.Where(c => c is not null).ToList() : [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or NotSupportedException or ArgumentException)
        {
            return [];
        }
    }
}
