// MNIST 0 vs 1 as a binary problem for the paper's two-layer network.
//
//   labels          digit 0 → y = −1, digit 1 → y = +1 (clean); every other digit is dropped.
//   pool            all 0/1 digits of the folder (train and t10k pairs pooled).
//   training set    n digits drawn without replacement from the pool with the run's Subsample stream.
//   test set        all remaining 0/1 digits of the pool (≈ 14 780 − n with both pairs, ≈ 2 128 − n with
//                   the npm-derived cache).
//   downsampling    28×28 → k×k by area averaging, k ∈ {7, 14, 28} (d = k²), pixels on [0, 1].
//   normalization   UnitNorm (default): each image divided by its l2 norm. Standardize: per pixel,
//                   (x − mean) / std with the training set's mean and std (std 1 where a pixel is constant
//                   over the training set).
//                   Why UnitNorm: tried both on the real digits (n = 100, seeds 1–2, m = 200, T = 300).
//                   Standardize fitted on 100 images gives border pixels that are almost constant in
//                   training a tiny std, and test images that ink them land hundreds to thousands of
//                   "standard deviations" out: mean test ||x||² was 2 300–22 000 against 122 in training
//                   at k = 14 (max test pixel 940–3 760), so train and test no longer share a
//                   distribution. UnitNorm keeps both at norm 1 and had lower errors (clean 0.15–0.20 %
//                   against 0.35–0.64 %; robust at α = M̂/2: 2.4–3.3 % against 3.7–7.4 %). Under UnitNorm
//                   α and M̂ are fractions of an image's norm (M̂ ≈ 0.4), so compare regimes by α / M̂,
//                   not by α against the Gaussian settings.
//   label noise β   each training label flipped independently with probability β. With β > 0 the test
//                   labels are flipped the same way, as for the Gaussian mixture, so that errors against the
//                   observed labels have floor β and errors against YClean measure the clean error; with
//                   β = 0 the test labels are the clean ones.
//   randomness      one stream, SeedStreams.For(runSeed, Subsample), drawn in this order: the subset, the
//                   training flips, the test flips. Realize(seed) is therefore a function of the seed.

using Verify.Simulation.Kernels;
using Verify.Simulation.Randomness;

namespace Verify.Simulation.Data.Mnist;

/// <summary>
/// MNIST digits 0 (y = −1) and 1 (y = +1) from the IDX files in <see cref="Directory"/>, downsampled to
/// <see cref="Resolution"/>×<see cref="Resolution"/> and normalized; see the comment block at the top of
/// this file for the whole recipe.
/// </summary>
/// <param name="Directory">A folder with the train pair, the t10k pair or both (see <see cref="MnistFiles"/>).</param>
/// <param name="Resolution">k ∈ {7, 14, 28}; the dimension is d = k².</param>
/// <param name="Normalization">
/// Default <see cref="MnistNormalization.UnitNorm"/>: train and test stay on the same scale. Per-pixel
/// standardization fitted on n = 100 images divides by tiny stds of nearly constant border pixels, and
/// test images then reach norms 20–180 times the training ones (measured; see the top of this file).
/// With UnitNorm, α and M̂ are fractions of an image's norm: compare regimes by α / M̂.
/// </param>
/// <param name="N">n, the number of training examples (default 100, the paper's).</param>
/// <param name="Beta">β, the label-noise rate in [0, 0.5) (default 0).</param>
public sealed record MnistDataSource(
    string Directory,
    int Resolution,
    MnistNormalization Normalization = MnistNormalization.UnitNorm,
    int N = 100,
    double Beta = 0) : IDataSource
{
    public string Name => $"mnist 0/1 {Resolution}×{Resolution} {NormalizationName(Normalization)}";
    public int Dimension => Resolution * Resolution;
    public int TrainingCount => N;

    public static string NormalizationName(MnistNormalization normalization) => normalization switch
    {
        MnistNormalization.Standardize => "standardized",
        MnistNormalization.UnitNorm => "unit-norm",
        _ => normalization.ToString(),
    };

    public MnistDataSource Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory)) throw InvalidInputException.MustBe("mnistDir", $"'{Directory}'", "a folder with the MNIST IDX files");
        if (!Downsampling.IsSupported(Resolution)) throw InvalidInputException.MustBe("resolution", Resolution.ToString(), "7, 14 or 28 (d = 49, 196 or 784)");
        if (!Enum.IsDefined(Normalization)) throw InvalidInputException.MustBe("normalization", Normalization.ToString(), "standardize or unit-norm");
        if (N < 1) throw InvalidInputException.MustBe("n", N.ToString(), "an integer ≥ 1");
        if (!(Beta >= 0 && Beta < 0.5)) throw InvalidInputException.MustBe("beta", Beta.ToString("R"), "a number in [0, 0.5)");
        return this;
    }

    public IDataset Realize(ulong runSeed)
    {
        Validate();
        var digits = ZeroOneDigits.Load(Directory);
        if (digits.Count < 2)   // no n would do: say what is wrong with the folder rather than "n in [1, 0]"
            throw InvalidInputException.InFile(Directory, "at least 2 digits 0/1 (one to train on, one to test on)", $"{digits.Count} among {digits.TotalRead} images");
        if (N >= digits.Count)
            throw InvalidInputException.MustBe("n", N.ToString(),
                $"an integer in [1, {digits.Count - 1}]: {Directory} holds {digits.Count} digits 0/1 and at least one must remain for testing");

        var rng = SeedStreams.For(runSeed, RandomStream.Subsample);
        int[] order = PartialShuffle(rng, digits.Count, N);
        int[] trainIdx = order[..N];
        int[] testIdx = order[N..];
        Array.Sort(testIdx);   // file order: the test set does not depend on how the shuffle left the tail

        var (trainY, trainYc) = Labels(digits, trainIdx, rng);
        var (testY, testYc) = Labels(digits, testIdx, rng);

        int d = Dimension;
        var x = new Dense<double>(N, d);
        for (int i = 0; i < N; i++) Downsampling.Apply(digits.Image(trainIdx[i]), Resolution, x.Row(i));
        Action<Span<double>> normalize = Normalization == MnistNormalization.Standardize
            ? PixelStandardizer.Fit(x).Apply
            : ScaleToUnitNorm;
        for (int i = 0; i < N; i++) normalize(x.Row(i));

        return new Realized(this, digits, trainIdx, new LabeledSet(x, trainY, trainYc), testIdx, testY, testYc, normalize);
    }

    /// <summary>M̂ = ||mean(x | y = +1) − mean(x | y = −1)|| / 2 on this seed's preprocessed training set (clean labels).</summary>
    public double ClassMeanHalfDistance(ulong runSeed) => ClassMeans.HalfDistance(Realize(runSeed).Training);

    /// <summary>Indices into the pool: the first <paramref name="take"/> are a uniform draw without replacement.</summary>
    internal static int[] PartialShuffle(Rng rng, int count, int take)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        for (int i = 0; i < take; i++)
        {
            int j = i + UniformBelow(rng, count - i);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>Uniform on {0, …, bound − 1} without modulo bias (rejects the incomplete top range).</summary>
    private static int UniformBelow(Rng rng, int bound)
    {
        ulong b = (ulong)bound;
        ulong threshold = (0UL - b) % b;   // 2⁶⁴ mod b
        while (true)
        {
            ulong r = rng.NextULong();
            if (r >= threshold) return (int)(r % b);
        }
    }

    private (sbyte[] Y, sbyte[] YClean) Labels(ZeroOneDigits digits, int[] indices, Rng rng)
    {
        var yc = new sbyte[indices.Length];
        var y = new sbyte[indices.Length];
        for (int i = 0; i < indices.Length; i++) yc[i] = digits.Digits[indices[i]] == 1 ? (sbyte)1 : (sbyte)-1;
        for (int i = 0; i < indices.Length; i++) y[i] = rng.NextBernoulli(Beta) ? (sbyte)-yc[i] : yc[i];
        return (y, yc);
    }

    private static void ScaleToUnitNorm(Span<double> row)
    {
        double ss = 0;
        foreach (double v in row) ss += v * v;
        if (ss == 0) return;   // a blank image has no direction; MNIST has none, a synthetic test might
        double inv = 1 / Math.Sqrt(ss);
        for (int j = 0; j < row.Length; j++) row[j] *= inv;
    }

    private sealed class Realized(
        MnistDataSource spec, ZeroOneDigits digits, int[] trainIdx, LabeledSet train, int[] testIdx, sbyte[] testY, sbyte[] testYc,
        Action<Span<double>> normalize) : IDataset, IPoolIndices
    {
        public string Name => spec.Name;
        public int Dimension => spec.Dimension;
        public LabeledSet Training => train;
        public int TestCount => testIdx.Length;
        public IReadOnlyList<int> TrainingIndices => trainIdx;
        public IReadOnlyList<int> TestIndices => testIdx;

        public IEnumerable<LabeledSet> TestChunks(int maxRows)
        {
            if (maxRows < 1) throw new ArgumentOutOfRangeException(nameof(maxRows), maxRows, "must be ≥ 1");
            // Preprocessed on demand: at k = 28 the whole test set would be ~90 MB of doubles.
            for (int start = 0; start < testIdx.Length; start += maxRows)
            {
                int rows = Math.Min(maxRows, testIdx.Length - start);
                var x = new Dense<double>(rows, spec.Dimension);
                for (int i = 0; i < rows; i++)
                {
                    Downsampling.Apply(digits.Image(testIdx[start + i]), spec.Resolution, x.Row(i));
                    normalize(x.Row(i));
                }
                yield return new LabeledSet(x, testY[start..(start + rows)], testYc[start..(start + rows)]);
            }
        }
    }
}
