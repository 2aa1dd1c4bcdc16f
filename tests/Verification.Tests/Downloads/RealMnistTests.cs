using Verify.Simulation.Settings;
using Verify.Simulation.Data;
using Verify.Simulation.Data.Mnist;
using Verify.Verification.Downloads;
using Verify.Verification.Settings;

namespace Verify.Verification.Tests.Downloads;

/// <summary>End to end on the real digits, when `verify data mnist` has filled the cache on this machine.</summary>
public class RealMnistTests
{
    [Test]
    public void Real_zeros_and_ones_are_nearly_separable_by_class_means()
    {
        string dir = CacheLocation.Mnist();
        if (MnistFiles.Present(dir).Count == 0)
            Assert.Ignore($"no MNIST digits in {dir}; run `verify data mnist` (or set VERIFY_CACHE) to enable this test");

        var pool = ZeroOneDigits.Load(dir);
        Assert.That(pool.Count, Is.GreaterThanOrEqualTo(2000), "the npm package alone has 2128 zeros and ones");
        Assert.That(Math.Min(pool.Zeros, pool.Ones), Is.GreaterThan(pool.Count / 3), "both classes well represented");

        var src = new MnistDataSource(dir, 14);
        var data = src.Realize(1);
        // The fixed split: t10k when the folder has both pairs, else the half of the digits outside the training pool.
        int test = pool.FromTrainPair.Any(t => t) && pool.FromTrainPair.Any(t => !t) ? pool.FromTrainPair.Count(t => !t) : pool.Count / 2;
        Assert.That((data.Training.Count, data.TestCount, data.Dimension), Is.EqualTo((100, test, 196)));

        // A label or image scrambled anywhere between npm and here would show up as chance-level error:
        // 0 vs 1 is easy, the nearest class mean of 100 examples already gets it almost always right.
        var train = data.Training;
        var plus = new double[196];
        var minus = new double[196];
        for (int i = 0; i < train.Count; i++)
            for (int j = 0; j < 196; j++) (train.YClean[i] > 0 ? plus : minus)[j] += train.X[i, j];
        int np = train.YClean.Count(y => y > 0), nm = train.Count - np;
        int errors = 0, total = 0;
        foreach (var chunk in data.TestChunks(500))
            for (int i = 0; i < chunk.Count; i++)
            {
                double score = 0;
                for (int j = 0; j < 196; j++) score += chunk.X[i, j] * (plus[j] / np - minus[j] / nm);
                double bias = 0;
                for (int j = 0; j < 196; j++) bias += 0.5 * ((plus[j] / np) * (plus[j] / np) - (minus[j] / nm) * (minus[j] / nm));
                if (Math.Sign(score - bias) != chunk.YClean[i]) errors++;
                total++;
            }
        Assert.That((double)errors / total, Is.LessThan(0.02), $"{errors} of {total} test digits misclassified");

        double mHat = src.ClassMeanHalfDistance(1);
        Assert.That(mHat, Is.InRange(0.1, 1.0), "unit-norm images: class means are a fraction of a unit apart");
        Assert.That(ClassMeans.HalfDistance(new MnistDataSource(dir, 14, MnistNormalization.StandardizePool).Realize(1).Training), Is.GreaterThan(1));
    }
}
