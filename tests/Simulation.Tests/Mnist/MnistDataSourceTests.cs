using Verify.Simulation.Settings;
using Verify.Simulation.Data;
using Verify.Simulation.Data.Mnist;

namespace Verify.Simulation.Tests.Mnist;

public class MnistDataSourceTests
{
    private const int TrainImages = 400, TestImages = 200;
    private static TempFolder _identifying = null!;
    private static TempFolder _random = null!;

    [OneTimeSetUp]
    public static void WriteFolders()
    {
        _identifying = new TempFolder();
        SyntheticMnist.WriteIdentifying(_identifying.Path, TrainImages, TestImages);
        _random = new TempFolder();
        SyntheticMnist.WriteRandom(_random.Path, 300);
    }

    [OneTimeTearDown]
    public static void DeleteFolders()
    {
        _identifying.Dispose();
        _random.Dispose();
    }

    /// <summary>The identifying folder with a per-run split (n drawn from every 0/1 digit, the rest tested).</summary>
    private static MnistDataSource Identifying(int n = 40, double beta = 0, MnistSplit split = MnistSplit.PerRun, MnistNormalization normalization = MnistNormalization.UnitNorm)
        => new(_identifying.Path, 28, normalization, n, beta, split);

    /// <summary>Which written image a preprocessed row is (its only nonzero coordinate, see <see cref="SyntheticMnist"/>).</summary>
    private static int ImageOf(ReadOnlySpan<double> row)
    {
        int id = -1;
        for (int j = 0; j < row.Length; j++)
            if (row[j] != 0) { Assert.That(id, Is.EqualTo(-1), "one nonzero pixel"); id = j; }
        return id;
    }

    private static List<int> Ids(LabeledSet set) => Enumerable.Range(0, set.Count).Select(i => ImageOf(set.X.Row(i))).ToList();

    private static LabeledSet WholeTest(IDataset data, int chunk = 37)
    {
        var chunks = data.TestChunks(chunk).ToList();
        var x = new Kernels.Dense<double>(chunks.Sum(c => c.Count), data.Dimension);
        int at = 0;
        foreach (var c in chunks) { c.X.Data.AsSpan(0, c.Count * c.Dimension).CopyTo(x.Data.AsSpan(at * x.Cols)); at += c.Count; }
        return new LabeledSet(x, chunks.SelectMany(c => c.Y).ToArray(), chunks.SelectMany(c => c.YClean).ToArray());
    }

    [Test]
    public void Defaults_and_shape()
    {
        var src = new MnistDataSource("somewhere", 14);
        Assert.That((src.N, src.Beta, src.Normalization), Is.EqualTo((100, 0.0, MnistNormalization.UnitNorm)));
        Assert.That((src.Dimension, src.TrainingCount), Is.EqualTo((196, 100)));
        Assert.That(src.Name, Is.EqualTo("mnist 0/1 14×14 unit-norm"));
        Assert.That(src.Split, Is.EqualTo(MnistSplit.Fixed));
        Assert.That(new MnistDataSource("x", 7, MnistNormalization.StandardizePool).Name, Is.EqualTo("mnist 0/1 7×7 standardize-pool"));
    }

    [Test]
    public void Labels_map_zero_to_minus_one_and_one_to_plus_one_and_other_digits_are_excluded()
    {
        var data = Identifying().Realize(1);
        foreach (var set in new[] { data.Training, WholeTest(data) })
        {
            var ids = Ids(set);
            for (int i = 0; i < set.Count; i++)
            {
                byte digit = SyntheticMnist.DigitOf(ids[i]);
                Assert.That(digit, Is.LessThanOrEqualTo(1), $"image {ids[i]} is a {digit}");
                Assert.That(set.YClean[i], Is.EqualTo(digit == 1 ? 1 : -1));
                Assert.That(set.Y[i], Is.EqualTo(set.YClean[i]), "β = 0: observed labels are the clean ones");
            }
        }
    }

    [Test]
    public void Train_and_test_are_disjoint_and_together_cover_every_zero_and_one()
    {
        var data = Identifying(n: 57).Realize(3);
        var train = Ids(data.Training);
        var test = Ids(WholeTest(data));
        Assert.That(train, Has.Count.EqualTo(57).And.Unique);
        Assert.That(test, Is.Unique);
        Assert.That(train.Intersect(test), Is.Empty);
        var all = Enumerable.Range(0, TrainImages + TestImages).Where(i => SyntheticMnist.DigitOf(i) <= 1);
        Assert.That(train.Concat(test).Order(), Is.EqualTo(all));
        Assert.That(data.TestCount, Is.EqualTo(all.Count() - 57));
        Assert.That(train.Any(i => i >= TrainImages) && train.Any(i => i < TrainImages), "drawn from both pairs pooled");

        var indices = (IPoolIndices)data;
        Assert.That(indices.TrainingIndices.Concat(indices.TestIndices).Order(), Is.EqualTo(Enumerable.Range(0, all.Count())));
    }

    [Test]
    public void Same_seed_gives_the_same_dataset_and_other_seeds_other_subsets()
    {
        var src = Identifying();
        var a = src.Realize(42);
        var b = src.Realize(42);
        Assert.That(a.Training.X.Data, Is.EqualTo(b.Training.X.Data));
        Assert.That(a.Training.Y, Is.EqualTo(b.Training.Y));
        Assert.That(WholeTest(a, 1000).X.Data, Is.EqualTo(WholeTest(b, 7).X.Data), "and the test set, whatever the chunk size");

        var subsets = Enumerable.Range(0, 5).Select(s => Ids(src.Realize((ulong)s).Training).Order().ToList()).ToList();
        for (int i = 0; i < subsets.Count; i++)
            for (int j = i + 1; j < subsets.Count; j++)
                Assert.That(subsets[i], Is.Not.EqualTo(subsets[j]), $"seeds {i} and {j}");
    }

    [Test]
    public void Subset_is_uniform_over_the_pool()
    {
        // Each of the 300 pool entries is in the training set with probability n/300 = 0.1: over 400 seeds
        // a count has mean 40 and sd ≈ 6. Seeds 0–399 are fixed: deterministic. Other seeds would put a count outside
        // [10, 75] with probability ≤ 300 × (P(Bin(400, 0.1) < 10) + P(> 75)) = 300 × (1.1e-9 + 4.1e-8) = 1.3e-5.
        var src = Identifying(n: 30);
        var counts = new int[TrainImages + TestImages];
        for (ulong s = 0; s < 400; s++)
            foreach (int id in Ids(src.Realize(s).Training)) counts[id]++;
        var zeroOne = Enumerable.Range(0, counts.Length).Where(i => SyntheticMnist.DigitOf(i) <= 1).ToList();
        Assert.That(zeroOne.Sum(i => counts[i]), Is.EqualTo(400 * 30));
        Assert.That(zeroOne.Select(i => counts[i]), Is.All.InRange(10, 75));
    }

    [Test]
    public void Label_noise_flips_train_and_test_labels_at_rate_beta()
    {
        const double beta = 0.2;
        var src = Identifying(n: 100, beta: beta);
        int flippedTrain = 0, flippedTest = 0, train = 0, test = 0;
        for (ulong s = 0; s < 40; s++)
        {
            var data = src.Realize(s);
            var whole = WholeTest(data, 1000);
            flippedTrain += data.Training.FlippedCount; train += data.Training.Count;
            flippedTest += whole.FlippedCount; test += whole.Count;
            var ids = Ids(data.Training);
            for (int i = 0; i < ids.Count; i++)
                Assert.That(data.Training.YClean[i], Is.EqualTo(SyntheticMnist.DigitOf(ids[i]) == 1 ? 1 : -1), "clean labels stay clean");
        }
        // 4000 and 8000 Bernoulli(0.2) draws: sd 0.0063 and 0.0045; allow 4 sd.
        // Seeds 0–39 are fixed: deterministic; other seeds would fail with probability ≤ 2 × 2Φ(−4) = 1.3e-4.
        Assert.That((double)flippedTrain / train, Is.EqualTo(beta).Within(4 * Math.Sqrt(beta * (1 - beta) / train)));
        Assert.That((double)flippedTest / test, Is.EqualTo(beta).Within(4 * Math.Sqrt(beta * (1 - beta) / test)));
    }

    [Test]
    public void Unit_norm_gives_every_train_and_test_image_norm_one()
    {
        var data = new MnistDataSource(_random.Path, 14, MnistNormalization.UnitNorm, 50).Realize(9);
        foreach (var set in new[] { data.Training, WholeTest(data) })
            for (int i = 0; i < set.Count; i++)
            {
                double norm = Math.Sqrt(set.X.Row(i).ToArray().Sum(v => v * v));
                Assert.That(norm, Is.EqualTo(1).Within(1e-12));
            }
    }

    [Test]
    public void Standardize_gives_training_pixels_mean_zero_and_std_one_and_uses_training_statistics_for_test()
    {
        const int n = 60, k = 14;
        var src = new MnistDataSource(_random.Path, k, MnistNormalization.StandardizeRun, n, Split: MnistSplit.PerRun);
        var data = src.Realize(5);
        var x = data.Training.X;
        for (int j = 0; j < k * k; j++)
        {
            var column = Enumerable.Range(0, n).Select(i => x[i, j]).ToArray();
            double mean = column.Average();
            double std = Math.Sqrt(column.Sum(v => (v - mean) * (v - mean)) / n);
            bool border = j / k < 2 || j / k >= k - 2;   // the four blank rows on each side of every 28×28 image
            Assert.That(mean, Is.EqualTo(0).Within(1e-12), $"pixel {j}");
            Assert.That(std, Is.EqualTo(border ? 0 : 1).Within(1e-12), $"pixel {j}");
        }

        // Independently: raw training features → population mean and std per pixel → one test image.
        var pool = ZeroOneDigits.Load(_random.Path);
        var idx = (IPoolIndices)data;
        var raw = idx.TrainingIndices.Select(p => { var r = new double[k * k]; Downsampling.Apply(pool.Image(p), k, r); return r; }).ToList();
        var firstTest = new double[k * k];
        Downsampling.Apply(pool.Image(idx.TestIndices[0]), k, firstTest);
        var got = data.TestChunks(1).First().X.Row(0).ToArray();
        for (int j = 0; j < k * k; j++)
        {
            double mean = raw.Average(r => r[j]);
            double std = Math.Sqrt(raw.Sum(r => (r[j] - mean) * (r[j] - mean)) / n);
            double expected = std == 0 ? firstTest[j] - raw[0][j] : (firstTest[j] - mean) / std;
            Assert.That(got[j], Is.EqualTo(expected).Within(1e-9), $"pixel {j}");
        }
    }

    [Test]
    public void Fixed_split_with_both_pairs_is_the_standard_one_and_the_same_for_every_seed()
    {
        var trainPair = Enumerable.Range(0, TrainImages).Where(i => SyntheticMnist.DigitOf(i) <= 1).ToHashSet();
        var t10k = Enumerable.Range(TrainImages, TestImages).Where(i => SyntheticMnist.DigitOf(i) <= 1).ToList();
        var src = Identifying(n: 40, split: MnistSplit.Fixed);
        for (ulong seed = 0; seed < 5; seed++)
        {
            var data = src.Realize(seed);
            Assert.That(Ids(data.Training), Is.All.Matches<int>(trainPair.Contains), "drawn from the train pair only");
            Assert.That(Ids(WholeTest(data)), Is.EqualTo(t10k), "tested on every 0/1 digit of t10k, in file order");
        }
    }

    [Test]
    public void Fixed_split_of_one_pair_is_a_fixed_half_whatever_the_seed()
    {
        var digits = ZeroOneDigits.Load(_random.Path);
        var (pool, test) = MnistDataSource.FixedSplit(digits);
        Assert.That((pool.Length, test.Length), Is.EqualTo((150, 150)));
        Assert.That(pool.Concat(test).Order(), Is.EqualTo(Enumerable.Range(0, 300)));
        var src = new MnistDataSource(_random.Path, 7, N: 30);
        var firstTest = src.Realize(1).TestCount;
        var indices = Enumerable.Range(0, 4).Select(s => (IPoolIndices)src.Realize((ulong)s)).ToList();
        Assert.That(indices.Select(i => i.TestIndices), Is.All.EqualTo(test), "the same test digits for every seed");
        Assert.That(indices.SelectMany(i => i.TrainingIndices), Is.All.Matches<int>(pool.Contains));
        Assert.That(firstTest, Is.EqualTo(150));
    }

    [Test]
    public void Pool_statistics_never_touch_a_test_digit_and_floor_sigma()
    {
        // Identifying images: image i has one inked pixel, i. A test image's pixel is never inked in the
        // training pool, so with pool statistics its mean is 0 and its σ the floor: the standardized value is
        // exactly 1/0.05 = 20. Had the test digits been in the statistics, the mean would be > 0 and σ > 0.05.
        var data = Identifying(n: 40, split: MnistSplit.Fixed, normalization: MnistNormalization.StandardizePool).Realize(2);
        var test = WholeTest(data);
        var poolIds = Enumerable.Range(0, TrainImages).Where(i => SyntheticMnist.DigitOf(i) <= 1).ToList();
        double p = 1.0 / poolIds.Count, poolSigma = Math.Sqrt(p * (1 - p));
        Assert.That(poolSigma, Is.GreaterThan(PixelStandardizer.PoolStdFloor), "the pool's own pixels are above the floor");
        var t10k = Enumerable.Range(TrainImages, TestImages).Where(i => SyntheticMnist.DigitOf(i) <= 1).ToList();
        for (int r = 0; r < test.Count; r++)
        {
            var row = test.X.Row(r);
            Assert.That(row[t10k[r]], Is.EqualTo(1 / PixelStandardizer.PoolStdFloor).Within(1e-12), $"test image {t10k[r]}");
            Assert.That(row[poolIds[0]], Is.EqualTo(-p / poolSigma).Within(1e-12), "a pool pixel the test image does not ink: (0 − mean)/σ of the pool");
        }
    }

    [Test]
    public void The_floor_applies_to_small_but_nonzero_sigma_too()
    {
        var x = new Kernels.Dense<double>(100, 3);
        for (int i = 0; i < 100; i++) { x[i, 0] = i % 2; x[i, 1] = i == 0 ? 0.1 : 0; x[i, 2] = 0.3; }
        var s = PixelStandardizer.FitWithFloor(x, 0.05);
        Assert.That(s.Std[0], Is.EqualTo(0.5).Within(1e-12), "above the floor: the population σ");
        Assert.That(s.Std[1], Is.EqualTo(0.05), "σ = 0.00995 is floored");
        Assert.That((s.Std[2], s.Mean[2]), Is.EqualTo((0.05, 0.3)), "a constant pixel gets the floor");
    }

    [Test]
    public void Label_noise_flips_at_rate_beta_with_the_fixed_split_too()
    {
        const double beta = 0.1;
        var src = Identifying(n: 100, beta: beta, split: MnistSplit.Fixed);
        int flipped = 0, total = 0;
        for (ulong s = 0; s < 60; s++)
        {
            var data = src.Realize(s);
            flipped += data.Training.FlippedCount + WholeTest(data).FlippedCount;
            total += data.Training.Count + data.TestCount;
        }
        // Seeds 0–59 are fixed: deterministic; 4 binomial SDs, so other seeds would fail with probability 2Φ(−4) = 6.3e-5.
        Assert.That((double)flipped / total, Is.EqualTo(beta).Within(4 * Math.Sqrt(beta * (1 - beta) / total)));
    }

    [Test]
    public void Invalid_settings_name_the_field()
    {
        Assert.That(Assert.Throws<InvalidInputException>(() => new MnistDataSource(_random.Path, 10).Realize(0))!.Field, Is.EqualTo("resolution"));
        Assert.That(Assert.Throws<InvalidInputException>(() => new MnistDataSource(_random.Path, 14, N: 0).Realize(0))!.Field, Is.EqualTo("n"));
        Assert.That(Assert.Throws<InvalidInputException>(() => new MnistDataSource(_random.Path, 14, Beta: 0.5).Realize(0))!.Field, Is.EqualTo("beta"));
        var tooMany = Assert.Throws<InvalidInputException>(() => new MnistDataSource(_random.Path, 14, N: 300, Split: MnistSplit.PerRun).Realize(0))!;
        Assert.That(tooMany.Message, Does.Contain("[1, 299]").And.Contain("300 digits 0/1"));
        var tooManyFixed = Assert.Throws<InvalidInputException>(() => new MnistDataSource(_random.Path, 14, N: 151).Realize(0))!;
        Assert.That(tooManyFixed.Message, Does.Contain("[1, 150]").And.Contain("training pool"));
        var leak = Assert.Throws<InvalidInputException>(() => new MnistDataSource(_random.Path, 14, MnistNormalization.StandardizePool, Split: MnistSplit.PerRun).Realize(0))!;
        Assert.That(leak.Field, Is.EqualTo("normalization"));
        Assert.Throws<InvalidInputException>(() => new MnistDataSource(Path.Combine(_random.Path, "absent"), 14).Realize(0));
    }

    [Test]
    public void Realizations_from_many_threads_agree()
    {
        var src = new MnistDataSource(_random.Path, 7, MnistNormalization.StandardizePool, 20);
        var results = new double[8][];
        Parallel.For(0, results.Length, i => results[i] = src.Realize(77).Training.X.Data);
        foreach (var r in results) Assert.That(r, Is.EqualTo(results[0]));
    }

    [Test]
    public void Class_mean_half_distance_against_hand_values()
    {
        // +1: (1, 0) and (3, 0), mean (2, 0); −1: (0, 2); half of ||(2, −2)|| = √2. The noisy label of the
        // third row must not matter.
        var x = new Kernels.Dense<double>(3, 2, [1, 0, 3, 0, 0, 2]);
        var set = new LabeledSet(x, [1, 1, 1], [1, 1, -1]);
        Assert.That(ClassMeans.HalfDistance(set), Is.EqualTo(Math.Sqrt(2)).Within(1e-15));
        Assert.Throws<ArgumentException>(() => ClassMeans.HalfDistance(new LabeledSet(x, [1, 1, 1], [1, 1, 1])));

        // On self-identifying images every row is a distinct basis vector: with a zeros and b ones,
        // ||mean+ − mean−||² = 1/b + 1/a.
        var src = Identifying(n: 40);
        var train = src.Realize(2).Training;
        int a = train.YClean.Count(y => y < 0), b = train.Count - a;
        Assert.That(src.ClassMeanHalfDistance(2), Is.EqualTo(Math.Sqrt(1.0 / a + 1.0 / b) / 2).Within(1e-12));
    }

    [Test]
    public void A_folder_with_fewer_than_two_zeros_and_ones_names_the_folder_not_n()
    {
        using var t = new TempFolder();
        IdxWriter.WriteImages(Path.Combine(t.Path, MnistFiles.ImagesName("t10k")), 28, 28, new byte[784 * 3]);
        IdxWriter.WriteLabels(Path.Combine(t.Path, MnistFiles.LabelsName("t10k")), [7, 1, 9]);
        var ex = Assert.Throws<InvalidInputException>(() => new MnistDataSource(t.Path, 14, N: 1).Realize(0))!;
        Assert.That(ex.Message, Is.EqualTo($"{Path.GetFullPath(t.Path)}: expected at least 2 digits 0/1 (one to train on, one to test on), found 1 among 3 images"));
    }
}
