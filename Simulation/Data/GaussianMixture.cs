using Verify.Simulation.Settings;
using Verify.Simulation.Kernels;
using Verify.Simulation.Randomness;

namespace Verify.Simulation.Data;

/// <summary>
/// The paper's synthetic data: clean label y_c uniform on {±1}, x = y_c·μ + ξ with μ = M·e_1 and
/// ξ ~ N(0, σ²·I_d); the observed label is y_c flipped independently with probability β.
/// </summary>
public sealed record GaussianMixture(int N, int NTest, long D, double Mu, double Beta, double Sigma = 1) : IDataSource
{
    public string Name => "gaussian-mixture";
    public long Dimension => D;
    public int TrainingCount => N;

    public GaussianMixture Validate()
    {
        Keys.N.Check(N);
        Keys.NTest.Check(NTest);
        Keys.D.Check(D);
        Keys.Mu.Check(Mu);
        Keys.Beta.Check(Beta);
        Keys.Sigma.Check(Sigma);
        return this;
    }

    public IDataset Realize(ulong runSeed)
    {
        Validate();
        if (D > Array.MaxLength)
            throw InvalidInputException.MustBe(Keys.D.Name, D.ToString(), $"at most {Array.MaxLength} to hold points in R^d (naive and subspace modes); larger d runs in mode rotation-invariant");
        var train = Sample(SeedStreams.For(runSeed, RandomStream.TrainingData), N);
        return new Realized(this, train, runSeed);
    }

    /// <summary>Labels first (clean, then flips), then the noise row by row: the order fixes the realization.</summary>
    internal (sbyte[] Y, sbyte[] YClean) SampleLabels(Rng rng, int count)
    {
        var yc = new sbyte[count];
        var y = new sbyte[count];
        for (int i = 0; i < count; i++) yc[i] = (sbyte)rng.NextSign();
        for (int i = 0; i < count; i++) y[i] = rng.NextBernoulli(Beta) ? (sbyte)-yc[i] : yc[i];
        return (y, yc);
    }

    private LabeledSet Sample(Rng rng, int count)
    {
        var (y, yc) = SampleLabels(rng, count);
        var x = new Dense<double>(count, (int)D);
        for (int i = 0; i < count; i++)
        {
            var row = x.Row(i);
            rng.FillNormal(row, Sigma);
            row[0] += yc[i] * Mu;
        }
        return new LabeledSet(x, y, yc);
    }

    private sealed class Realized(GaussianMixture spec, LabeledSet train, ulong runSeed) : IDataset
    {
        public string Name => spec.Name;
        public int Dimension => (int)spec.D;
        public LabeledSet Training => train;
        public int TestCount => spec.NTest;

        public IEnumerable<LabeledSet> TestChunks(int maxRows)
        {
            // One stream for the whole test set: the points do not depend on the chunk size.
            var rng = SeedStreams.For(runSeed, RandomStream.TestData);
            var (y, yc) = spec.SampleLabels(rng, spec.NTest);
            for (int start = 0; start < spec.NTest; start += maxRows)
            {
                int rows = Math.Min(maxRows, spec.NTest - start);
                var x = new Dense<double>(rows, (int)spec.D);
                for (int i = 0; i < rows; i++)
                {
                    var row = x.Row(i);
                    rng.FillNormal(row, spec.Sigma);
                    row[0] += yc[start + i] * spec.Mu;
                }
                yield return new LabeledSet(x, y[start..(start + rows)], yc[start..(start + rows)]);
            }
        }
    }
}
