using Verify.Simulation.Settings;
using Verify.Simulation.Kernels;
using Verify.Simulation.Randomness;
using Verify.Simulation.Data.Noise;

namespace Verify.Simulation.Data;

/// <summary>
/// The paper's synthetic data: clean label y_c uniform on {±1}, x = y_c·μ + ξ with μ = M·e_1 and
/// ξ ~ N(0, σ²·I_d); the observed label is y_c flipped independently with probability β. Wider, as the theorem's
/// hypotheses allow: ξ from another strongly log-concave family (<paramref name="Noise"/>, Simulation/Data/Noise), and
/// the β-fraction of flipped labels chosen as a function of x (<paramref name="LabelNoise"/>, <see cref="LabelRule"/>).
/// </summary>
/// <param name="NoiseCondition">κ of the anisotropic family; at its default for the others.</param>
public sealed record GaussianMixture(int N, int NTest, long D, double Mu, double Beta, double Sigma = 1,
    LabelNoise LabelNoise = LabelNoise.Random, NoiseFamily Noise = NoiseFamily.Gaussian, double NoiseCondition = 4) : IDataSource
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
        CheckNoiseModel(D, LabelNoise, Noise, NoiseCondition);
        return this;
    }

    /// <summary>
    /// The noise settings' rules, for a run and for `verify check` alike: each value allowed, noiseCondition away from its
    /// default only with the anisotropic law, spurious flips only where e₂ exists (d ≥ 2). An input error naming the setting otherwise.
    /// </summary>
    public static void CheckNoiseModel(long d, LabelNoise labelNoise, NoiseFamily noise, double noiseCondition)
    {
        Keys.LabelNoise.Check(labelNoise);
        Keys.Noise.Check(noise);
        Keys.NoiseCondition.Check(noiseCondition);
        if (noise != NoiseFamily.Anisotropic && noiseCondition != Keys.NoiseCondition.Default)
            throw InvalidInputException.MustBe(Keys.NoiseCondition.Name, Keys.NoiseCondition.Format(noiseCondition),
                $"set only with noise = {Keys.Noise.Format(NoiseFamily.Anisotropic)} (here noise = {Keys.Noise.Format(noise)}, which has no condition number)");
        if (labelNoise == LabelNoise.Spurious && d < 2)
            throw InvalidInputException.MustBe(Keys.D.Name, d.ToString(), $"at least 2 with labelNoise = {Keys.LabelNoise.Format(LabelNoise.Spurious)} (its direction e_2 is orthogonal to μ)");
    }

    /// <summary>
    /// Whether the rotation-invariant sampler represents these data exactly: Gaussian noise (it samples the law of
    /// N(0, σ²I)'s projections) and a rule that reads only ξ_1, which it samples explicitly.
    /// </summary>
    public bool RotationInvariant => Noise == NoiseFamily.Gaussian && LabelNoise != LabelNoise.Spurious;

    /// <summary>The input error for these data in mode rotation-invariant, naming the setting it cannot represent; null when it can.</summary>
    internal InvalidInputException? RotationInvariantRefusal()
    {
        string tail = $"in mode {Keys.Mode.Format(EmbeddingMode.RotationInvariant)}, which samples the projections of isotropic Gaussian noise; use mode subspace, naive or auto";
        if (Noise != NoiseFamily.Gaussian)
            return InvalidInputException.MustBe(Keys.Noise.Name, Keys.Noise.Format(Noise), $"{Keys.Noise.Format(NoiseFamily.Gaussian)} {tail}");
        if (LabelNoise == LabelNoise.Spurious)
            return InvalidInputException.MustBe(Keys.LabelNoise.Name, Keys.LabelNoise.Format(LabelNoise),
                $"random, margin or confident {tail} (it draws ξ_1 but no coordinate along e_2)");
        return null;
    }

    /// <summary>The law of ξ these settings name.</summary>
    internal NoiseLaw Law() => NoiseLaw.Of(Noise, Sigma, D, NoiseCondition);

    /// <summary>The label rule, its thresholds from <paramref name="law"/>.</summary>
    internal LabelRule Rule(NoiseLaw law) => new(LabelNoise, Beta, law);

    public IDataset Realize(ulong runSeed)
    {
        Validate();
        if (D > Array.MaxLength)
            throw InvalidInputException.MustBe(Keys.D.Name, D.ToString(), $"at most {Array.MaxLength} to hold points in R^d (naive and subspace modes)"
                + (RotationInvariant ? "; larger d runs in mode rotation-invariant" : $" for these data (noise = {Keys.Noise.Format(Noise)}, labelNoise = {Keys.LabelNoise.Format(LabelNoise)}), which only those modes represent"));
        var train = Sample(SeedStreams.For(runSeed, RandomStream.TrainingData), N);
        return new Realized(this, train, runSeed);
    }

    /// <summary>
    /// Labels first (clean, then the random flips' uniforms), then the noise row by row: the order fixes the realization.
    /// Every rule draws the flips' uniforms, and only <see cref="LabelNoise.Random"/> uses them: the stream, and so the
    /// clean labels and the noise, are the same under every rule for one seed; an x-dependent rule then flips by
    /// <see cref="Flip"/> once a row's noise is drawn.
    /// </summary>
    internal (sbyte[] Y, sbyte[] YClean) SampleLabels(Rng rng, int count)
    {
        var yc = new sbyte[count];
        var y = new sbyte[count];
        bool random = LabelNoise == LabelNoise.Random;
        for (int i = 0; i < count; i++) yc[i] = (sbyte)rng.NextSign();
        for (int i = 0; i < count; i++) y[i] = rng.NextBernoulli(Beta) && random ? (sbyte)-yc[i] : yc[i];
        return (y, yc);
    }

    /// <summary>The observed label of a point with clean label <paramref name="clean"/> and noise <paramref name="noise"/> (ξ, before the signal is added).</summary>
    internal static void Flip(LabelRule rule, ref sbyte label, sbyte clean, ReadOnlySpan<double> noise)
    {
        if (rule.DependsOnX) label = rule.Flips(clean, noise) ? (sbyte)-clean : clean;
    }

    private LabeledSet Sample(Rng rng, int count)
    {
        var law = Law();
        var rule = Rule(law);
        var (y, yc) = SampleLabels(rng, count);
        var x = new Dense<double>(count, (int)D);
        for (int i = 0; i < count; i++)
        {
            var row = x.Row(i);
            law.FillRow(rng, row);
            Flip(rule, ref y[i], yc[i], row);
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
            var law = spec.Law();
            var rule = spec.Rule(law);
            var (y, yc) = spec.SampleLabels(rng, spec.NTest);
            for (int start = 0; start < spec.NTest; start += maxRows)
            {
                int rows = Math.Min(maxRows, spec.NTest - start);
                var x = new Dense<double>(rows, (int)spec.D);
                for (int i = 0; i < rows; i++)
                {
                    var row = x.Row(i);
                    law.FillRow(rng, row);
                    Flip(rule, ref y[start + i], yc[start + i], row);
                    row[0] += yc[start + i] * spec.Mu;
                }
                yield return new LabeledSet(x, y[start..(start + rows)], yc[start..(start + rows)]);
            }
        }
    }
}
