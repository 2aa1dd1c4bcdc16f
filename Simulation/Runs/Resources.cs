using Verify.Simulation.Settings;
using System.Globalization;
using Verify.Simulation.Data;
using Verify.Simulation.Embedding;

namespace Verify.Simulation.Runs;

/// <summary>
/// What a run will need, known before it starts: the memory of its largest arrays in the mode it will
/// run in, and whether any array would exceed what .NET can allocate. Refusing here, with the user's
/// settings named, is better than an out-of-memory crash an hour into a sweep.
/// </summary>
/// <param name="Bytes">Peak memory, estimated from the arrays the mode allocates (8-byte reals; f32 runs convert a copy).</param>
/// <param name="LargestElements">Elements of the largest single array.</param>
/// <param name="Largest">Which array that is, in the user's settings ("n_test × d").</param>
public sealed record Resources(EmbeddingMode Mode, double Bytes, double LargestElements, string Largest)
{
    /// <summary>
    /// Peak resident memory over the arrays counted, for the collector's headroom and transient copies.
    /// Calibrated on this project's machine at n = 100, n_test = 2000, m = 1000, d = 10⁵: measured peak RSS
    /// 6.7 GB naive and 4.0 GB subspace, estimated 6.5 GB and 4.3 GB with this factor.
    /// </summary>
    private const double GcOverhead = 1.25;

    /// <summary>Test points an MNIST run can hold at most: both 0/1 pairs of the full dataset.</summary>
    private const int MnistTestBound = 14_780;

    public static Resources Of(RunSpec spec)
    {
        var mode = Simulator.ResolveMode(spec);
        double n = spec.Data.TrainingCount, d = spec.Data.Dimension, m = spec.Width, half = m / 2;
        double nTest = spec.Data is GaussianMixture g ? g.NTest : MnistTestBound;
        // Coordinates the training works in: R = d (naive), m/2 + n (subspace), m/2 + n + 1 (rotation-invariant).
        double r = mode == EmbeddingMode.Naive ? d : half + n + (mode == EmbeddingMode.RotationInvariant ? 1 : 0);
        // Realizing the data in R^d (naive and subspace): training inputs, initial rows, test chunks; the
        // subspace basis adds k × d matrices (the rows, their scaled copy, Q, Q's second pass and their temporaries).
        double ambient = mode == EmbeddingMode.RotationInvariant ? 0 : d * (n + half + 64 + (mode == EmbeddingMode.Subspace ? 6 * (half + n) : 0));
        // In coordinates: training and test inputs, W(0) and W, attack and gradient buffers, the evaluator's chunks;
        // and W packed in two layouts by each of the trainer's and the evaluator's attacks (managed kernel, small W only).
        double coordinates = r * (n + nTest + half + 2 * m + 5 * n + 3 * 256) + 3 * n * m
            + 4 * Math.Min(m * r, Model.MarginKernel<double>.MaxPackedElements);
        var arrays = new (double Elements, string Name)[]
        {
            (mode == EmbeddingMode.RotationInvariant ? 0 : n * d, "n × d"),
            (nTest * r, mode == EmbeddingMode.Naive ? "n_test × d" : "n_test × (m/2 + n)"),
            (m * r, mode == EmbeddingMode.Naive ? "m × d" : "m × (m/2 + n)"),
            (mode == EmbeddingMode.Subspace ? (half + n) * d : 0, "(m/2 + n) × d"),
            (n * m, "n × m"),
        };
        var largest = arrays.MaxBy(a => a.Elements);
        return new Resources(mode, GcOverhead * 8 * (ambient + coordinates), largest.Elements, largest.Name);
    }

    /// <summary>
    /// An input error when the run cannot fit: an array beyond .NET's limit, or more memory than
    /// <paramref name="availableBytes"/> for <paramref name="concurrent"/> runs side by side.
    /// </summary>
    public static void Check(RunSpec spec, double availableBytes, int concurrent = 1)
    {
        var need = Of(spec);
        string settings = Settings(spec);
        if (need.LargestElements > Array.MaxLength)
            throw new InvalidInputException($"{settings}: the array {need.Largest} would have {need.LargestElements:G4} elements in mode {Keys.Mode.Format(need.Mode)}, "
                + $"beyond the {Array.MaxLength} .NET can allocate" + Advice(spec, need));
        if (need.Bytes * concurrent > availableBytes)
            throw new InvalidInputException($"{settings}: a run needs about {Gb(need.Bytes)} in mode {Keys.Mode.Format(need.Mode)}"
                + (concurrent > 1 ? $" ({concurrent} in parallel: {Gb(need.Bytes * concurrent)})" : "")
                + $", more than the {Gb(availableBytes)} this machine has available" + Advice(spec, need));
    }

    /// <summary>What this process may allocate: the GC's view of the machine's (or the container's) memory.</summary>
    public static double AvailableBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    private static string Advice(RunSpec spec, Resources need) =>
        spec.Mode != EmbeddingMode.Auto && spec.Data is GaussianMixture { RotationInvariant: true } && need.Mode != EmbeddingMode.RotationInvariant
            ? "; use --mode auto (for Gaussian data its cost does not grow with d) or smaller settings"
            : "; use smaller settings (n, nTest, m, d)";

    private static string Settings(RunSpec spec)
    {
        var parts = new List<string> { $"n = {spec.Data.TrainingCount}", $"d = {spec.Data.Dimension}", $"m = {spec.Width}" };
        if (spec.Data is GaussianMixture g) parts.Insert(1, $"nTest = {g.NTest}");
        return string.Join(", ", parts) + $", mode = {Keys.Mode.Format(spec.Mode)}";
    }

    private static string Gb(double bytes) => (bytes / (1 << 30)).ToString(bytes < (1L << 30) ? "0.00" : "0.#", CultureInfo.InvariantCulture) + " GB";
}
