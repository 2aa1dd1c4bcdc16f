using Verify.Simulation.Settings;
// MNIST 0 vs 1 as a binary problem for the paper's two-layer network.
//
//   labels          digit 0 → y = −1, digit 1 → y = +1 (clean); every other digit is dropped.
//   split           Fixed (default): with both IDX pairs, training digits are drawn from the train pair and
//                   every run is tested on all 0/1 digits of t10k (2 115); with one pair (the npm-derived
//                   cache, 2 128 digits), a half drawn once with a constant seed is the training pool and the
//                   other half the test set. PerRun: n digits drawn from all of them, the rest tested on (the
//                   behaviour before the split existed; results written then read as per-run).
//   training set    n digits drawn without replacement from the pool with the run's Subsample stream.
//   downsampling    28×28 → k×k by area averaging, k ∈ {7, 14, 28} (d = k²), pixels on [0, 1].
//   normalization   UnitNorm (default): each image divided by its l2 norm; α and M̂ are then fractions of an
//                   image's norm (M̂ ≈ 0.4), so compare regimes by α / M̂.
//                   StandardizePool: per pixel, (x − mean)/σ with the mean and σ of the whole training pool
//                   (never a test digit), σ floored at 0.05 (PixelStandardizer.PoolStdFloor). This is what
//                   "standardizing the inputs" most plausibly means: statistics of the training distribution,
//                   applied alike to every image, as torchvision's Normalize does with dataset-wide constants.
//                   StandardizeRun: the same with the statistics of the run's n images (σ 1 where a pixel is
//                   constant over them). Measured (n = 100, k = 14): border pixels almost constant in 100
//                   images get a tiny σ and test images land hundreds of "standard deviations" out (mean test
//                   ||x||² 2 300–22 000 against 122 in training), so train and test no longer share a
//                   distribution; kept under its own name for comparison, never a default.
//   label noise β   each training label flipped independently with probability β. With β > 0 the test
//                   labels are flipped the same way, as for the Gaussian mixture, so that errors against the
//                   observed labels have floor β and errors against YClean measure the clean error; with
//                   β = 0 the test labels are the clean ones.
//   randomness      one stream, SeedStreams.For(runSeed, Subsample), drawn in this order: the subset, the
//                   training flips, the test flips. Realize(seed) is therefore a function of the seed; the
//                   fixed split and the pool statistics are functions of the folder alone.

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
/// Default <see cref="MnistNormalization.UnitNorm"/>; <see cref="MnistNormalization.StandardizePool"/> is per-pixel
/// standardization, most plausibly the paper's standardized inputs (needs the fixed split); see the top of this file.
/// </param>
/// <param name="N">n, the number of training examples (default 100, the paper's).</param>
/// <param name="Beta">β, the label-noise rate in [0, 0.5) (default 0).</param>
/// <param name="Split">Which digits a run may train on and which it is tested on (default: fixed for every run).</param>
public sealed record MnistDataSource(
    string Directory,
    int Resolution,
    MnistNormalization Normalization = MnistNormalization.UnitNorm,
    int N = 100,
    double Beta = 0,
    MnistSplit Split = MnistSplit.Fixed) : IDataSource
{
    public string Name => $"mnist 0/1 {Resolution}×{Resolution} {Keys.Normalization.Format(Normalization)}";
    public long Dimension => Resolution * Resolution;
    public int TrainingCount => N;

    public MnistDataSource Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory)) throw InvalidInputException.MustBe(Keys.MnistDir.Name, $"'{Directory}'", "a folder with the MNIST IDX files");
        Keys.Resolution.Check(Resolution);
        if (!Keys.Normalization.Allows(Normalization)) throw InvalidInputException.MustBe(Keys.Normalization.Name, Normalization.ToString(), Keys.Normalization.Allowed);
        if (!Keys.MnistSplit.Allows(Split)) throw InvalidInputException.MustBe(Keys.MnistSplit.Name, Split.ToString(), Keys.MnistSplit.Allowed);
        if (Normalization == MnistNormalization.StandardizePool && Split != MnistSplit.Fixed)
            throw InvalidInputException.MustBe(Keys.Normalization.Name, Keys.Normalization.Format(Normalization),
                "unit-norm or standardize-run with mnistSplit = per-run (every digit is then some run's test digit, so no pool without test digits exists)");
        Keys.N.Check(N);
        Keys.Beta.Check(Beta);
        return this;
    }

    public IDataset Realize(ulong runSeed)
    {
        Validate();
        var digits = ZeroOneDigits.Load(Directory);
        if (digits.Count < 2)   // no n would do: say what is wrong with the folder rather than "n in [1, 0]"
            throw InvalidInputException.InFile(Directory, "at least 2 digits 0/1 (one to train on, one to test on)", $"{digits.Count} among {digits.TotalRead} images");
        if (N >= digits.Count)
            throw InvalidInputException.MustBe(Keys.N.Name, N.ToString(),
                $"an integer in [1, {digits.Count - 1}]: {Directory} holds {digits.Count} digits 0/1 and at least one must remain for testing");

        var rng = SeedStreams.For(runSeed, RandomStream.Subsample);
        int[] trainIdx, testIdx;
        if (Split == MnistSplit.PerRun)
        {
            int[] order = PartialShuffle(rng, digits.Count, N);
            trainIdx = order[..N];
            testIdx = order[N..];
        }
        else
        {
            var (pool, test) = FixedSplit(digits);
            if (N > pool.Length)
                throw InvalidInputException.MustBe(Keys.N.Name, N.ToString(),
                    $"an integer in [1, {pool.Length}]: the training pool of {Directory} (mnistSplit = fixed) holds {pool.Length} digits 0/1");
            int[] order = PartialShuffle(rng, pool.Length, N);
            trainIdx = order[..N].Select(i => pool[i]).ToArray();
            testIdx = test.ToArray();
        }
        Array.Sort(testIdx);   // file order: the test set does not depend on how a shuffle left the tail

        var (trainY, trainYc) = Labels(digits, trainIdx, rng);
        var (testY, testYc) = Labels(digits, testIdx, rng);

        int d = Resolution * Resolution;
        var x = new Dense<double>(N, d);
        for (int i = 0; i < N; i++) Downsampling.Apply(digits.Image(trainIdx[i]), Resolution, x.Row(i));
        Action<Span<double>> normalize = Normalization switch
        {
            MnistNormalization.StandardizeRun => PixelStandardizer.Fit(x).Apply,
            MnistNormalization.StandardizePool => PoolStandardizer(digits, Resolution).Apply,
            _ => ScaleToUnitNorm,
        };
        for (int i = 0; i < N; i++) normalize(x.Row(i));

        return new Realized(this, digits, trainIdx, new LabeledSet(x, trainY, trainYc), testIdx, testY, testYc, normalize);
    }

    /// <summary>The seed of the fixed half split of a one-pair folder: a constant, so that every run (any seed) sees the same split.</summary>
    private const ulong FixedSplitSeed = 0x4D4E495354_0001;

    /// <summary>
    /// The training pool and the test digits of <see cref="MnistSplit.Fixed"/>: the train pair and the t10k pair when
    /// the folder has both; otherwise a half of the digits drawn once with a constant seed (the larger half to train from).
    /// </summary>
    internal static (int[] Pool, int[] Test) FixedSplit(ZeroOneDigits digits)
    {
        var all = Enumerable.Range(0, digits.Count).ToArray();
        var train = all.Where(i => digits.FromTrainPair[i]).ToArray();
        var test = all.Where(i => !digits.FromTrainPair[i]).ToArray();
        if (train.Length > 0 && test.Length > 0) return (train, test);
        int half = (digits.Count + 1) / 2;
        int[] order = PartialShuffle(new Rng(FixedSplitSeed), digits.Count, half);
        var pool = order[..half];
        var rest = order[half..];
        Array.Sort(pool);
        Array.Sort(rest);
        return (pool, rest);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(ZeroOneDigits, int), Lazy<PixelStandardizer>> PoolStatistics = new();

    /// <summary>
    /// Per-pixel statistics of the whole training pool at this resolution (never a test digit), σ floored at
    /// <see cref="PixelStandardizer.PoolStdFloor"/>; computed once per folder and resolution in a process.
    /// </summary>
    internal static PixelStandardizer PoolStandardizer(ZeroOneDigits digits, int resolution)
        => PoolStatistics.GetOrAdd((digits, resolution), key => new Lazy<PixelStandardizer>(() =>
        {
            var (pool, _) = FixedSplit(key.Item1);
            int d = key.Item2 * key.Item2;
            var x = new Dense<double>(pool.Length, d);
            for (int i = 0; i < pool.Length; i++) Downsampling.Apply(key.Item1.Image(pool[i]), key.Item2, x.Row(i));
            return PixelStandardizer.FitWithFloor(x, PixelStandardizer.PoolStdFloor);
        })).Value;

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
        public int Dimension => spec.Resolution * spec.Resolution;
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
                var x = new Dense<double>(rows, spec.Resolution * spec.Resolution);
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
