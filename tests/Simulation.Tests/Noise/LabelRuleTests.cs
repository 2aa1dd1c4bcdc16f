using MathNet.Numerics.Distributions;
using Verify.Simulation.Data;
using Verify.Simulation.Kernels;
using Verify.Simulation.Randomness;
using Verify.Simulation.Settings;

namespace Verify.Simulation.Tests.Noise;

/// <summary>
/// The label-noise rules (docs/theory.md, "Noise families and label-noise rules"): each flips a β-fraction, the flips
/// are the function of x the rule names, and x (with the clean labels) is the same under every rule for one seed, so
/// the noisy distribution has the clean x-marginal and is at TV distance β from the clean mixture by construction.
/// </summary>
public class LabelRuleTests
{
    private static readonly LabelNoise[] XRules = [LabelNoise.Margin, LabelNoise.Confident, LabelNoise.Spurious];
    private static readonly NoiseFamily[] Families = [NoiseFamily.Gaussian, NoiseFamily.GaussLaplace, NoiseFamily.Anisotropic];

    private static IEnumerable<TestCaseData> Cases()
        => from r in XRules.Prepend(LabelNoise.Random) from f in Families select new TestCaseData(r, f);

    private static IEnumerable<TestCaseData> XCases() => from r in XRules from f in Families select new TestCaseData(r, f);

    /// <summary>
    /// Under every rule each point is flipped independently with probability exactly β (its flip is a function of its
    /// own y_c and ξ, or its own uniform), so the count is Binomial(n, β). Hoeffding: P(|p̂ − β| ≥ t) ≤ 2·exp(−2nt²); with
    /// t = √(ln(2·12/1e-4)/(2n)) = 0.0079 at n = 10⁵, another seed fails one of the 12 cases with probability ≤ 1e-4.
    /// </summary>
    [TestCaseSource(nameof(Cases))]
    public void Each_rule_flips_a_beta_fraction(LabelNoise rule, NoiseFamily family)
    {
        const int n = 100_000;
        const double beta = 0.15;
        var data = new GaussianMixture(n, 1, 3, 2, beta, 1.3, rule, family, family == NoiseFamily.Anisotropic ? 25 : 4);
        var train = data.Realize(31).Training;
        int flips = Enumerable.Range(0, n).Count(i => train.Y[i] != train.YClean[i]);
        double t = Math.Sqrt(Math.Log(2 * 12 / 1e-4) / (2.0 * n));
        Assert.That((double)flips / n, Is.EqualTo(beta).Within(t));
    }

    /// <summary>
    /// The flip region, point by point, on training and test draws (M = 0, so x = ξ exactly): margin flips exactly where
    /// y_c·ξ_1 ≤ q_β, confident where y_c·ξ_1 ≥ q_{1−β}, spurious where y_c·ξ_2 ≤ q_β of ξ_2, with the quantile of the
    /// coordinate's law computed here independently (Φ⁻¹ from MathNet, scaled; the Gauss–Laplace quantile from mpmath).
    /// So every flipped point's score is on the far side of every unflipped point's.
    /// </summary>
    [TestCaseSource(nameof(XCases))]
    public void Flips_are_the_named_function_of_x(LabelNoise rule, NoiseFamily family)
    {
        const double beta = 0.1, sigma = 1.3, kappa = 25;
        const int d = 5;
        var data = new GaussianMixture(4000, 3000, d, 0, beta, sigma, rule, family, family == NoiseFamily.Anisotropic ? kappa : 4);
        int coordinate = rule == LabelNoise.Spurious ? 1 : 0;
        // The standard deviation of the coordinate read: σ, except e_2 of the anisotropic family: σ·√(κ·c), c = 4/Σ κ^{1−j/3}.
        double sd = family == NoiseFamily.Anisotropic && coordinate == 1
            ? sigma * Math.Sqrt(kappa * (d - 1) / Enumerable.Range(0, d - 1).Sum(j => Math.Pow(kappa, 1 - j / (d - 2.0))))
            : sigma;
        double unit = family == NoiseFamily.GaussLaplace ? -1.2421052593452226226 : Normal.InvCDF(0, 1, beta);
        double q = sd * unit;
        var realized = data.Realize(8);
        foreach (var set in realized.TestChunks(700).Prepend(realized.Training))
        {
            var flipped = new List<double>();
            var kept = new List<double>();
            for (int i = 0; i < set.Y.Length; i++)
            {
                double score = set.YClean[i] * set.X[i, coordinate];
                bool flip = set.Y[i] != set.YClean[i];
                (flip ? flipped : kept).Add(score);
                bool expected = rule == LabelNoise.Confident ? score >= -q : score <= q;
                Assert.That(flip, Is.EqualTo(expected), $"point {i}, score {score}, threshold {q}");
            }
            Assert.That(flipped, Is.Not.Empty);
            if (rule == LabelNoise.Confident) Assert.That(flipped.Min(), Is.GreaterThan(kept.Max()));
            else Assert.That(flipped.Max(), Is.LessThan(kept.Min()));
        }
    }

    /// <summary>
    /// The x-marginal is the clean one: for one seed, every rule draws the same inputs and clean labels as random flips,
    /// bit for bit, in training and test draws (every rule draws the random flips' uniforms and only random uses them).
    /// </summary>
    [TestCaseSource(nameof(Cases))]
    public void Every_rule_draws_the_same_inputs_and_clean_labels(LabelNoise rule, NoiseFamily family)
    {
        var reference = new GaussianMixture(50, 130, 7, 1.5, 0.2, 0.9, LabelNoise.Random, family, family == NoiseFamily.Anisotropic ? 10 : 4);
        var data = reference with { LabelNoise = rule };
        var a = reference.Realize(5);
        var b = data.Realize(5);
        Assert.That(b.Training.X.Data, Is.EqualTo(a.Training.X.Data));
        Assert.That(b.Training.YClean, Is.EqualTo(a.Training.YClean));
        var ta = a.TestChunks(64).ToList();
        var tb = b.TestChunks(64).ToList();
        for (int c = 0; c < ta.Count; c++)
        {
            Assert.That(tb[c].X.Data, Is.EqualTo(ta[c].X.Data));
            Assert.That(tb[c].YClean, Is.EqualTo(ta[c].YClean));
        }
    }

    /// <summary>
    /// The default (random flips, Gaussian noise) draws what the mixture drew before these settings existed, written out
    /// here as it was: clean signs, then the flips' uniforms, then each row's normals. (The committed baselines' reruns,
    /// tests/Verification.Tests CommittedBaselineTests and RegressionTests, check the same end to end.)
    /// </summary>
    [Test]
    public void The_default_draws_exactly_what_runs_drew_before_the_settings()
    {
        var data = new GaussianMixture(40, 90, 11, 2.5, 0.2, 1.4);
        var realized = data.Realize(99);
        (Dense<double> X, sbyte[] Y, sbyte[] YClean) Old(Rng rng, int count)
        {
            var yc = new sbyte[count]; var y = new sbyte[count];
            for (int i = 0; i < count; i++) yc[i] = (sbyte)rng.NextSign();
            for (int i = 0; i < count; i++) y[i] = rng.NextBernoulli(0.2) ? (sbyte)-yc[i] : yc[i];
            var x = new Dense<double>(count, 11);
            for (int i = 0; i < count; i++) { var row = x.Row(i); rng.FillNormal(row, 1.4); row[0] += yc[i] * 2.5; }
            return (x, y, yc);
        }
        var train = Old(SeedStreams.For(99, RandomStream.TrainingData), 40);
        Assert.That(realized.Training.X.Data, Is.EqualTo(train.X.Data));
        Assert.That(realized.Training.Y, Is.EqualTo(train.Y));
        Assert.That(realized.Training.YClean, Is.EqualTo(train.YClean));
        var test = Old(SeedStreams.For(99, RandomStream.TestData), 90);
        var chunks = realized.TestChunks(1000).Single();
        Assert.That(chunks.X.Data, Is.EqualTo(test.X.Data));
        Assert.That(chunks.Y, Is.EqualTo(test.Y));
    }

    [Test]
    public void Settings_that_do_not_fit_the_data_are_refused_naming_the_setting()
    {
        var e = Assert.Throws<InvalidInputException>(() => new GaussianMixture(5, 5, 10, 1, 0.1, NoiseCondition: 9).Validate());
        Assert.That(e!.Field, Is.EqualTo("noiseCondition"));
        e = Assert.Throws<InvalidInputException>(() => new GaussianMixture(5, 5, 1, 1, 0.1, LabelNoise: LabelNoise.Spurious).Validate());
        Assert.That(e!.Field, Is.EqualTo("d"));
        e = Assert.Throws<InvalidInputException>(() => new GaussianMixture(5, 5, 10, 1, 0.1, Noise: NoiseFamily.Anisotropic, NoiseCondition: 0.5).Validate());
        Assert.That(e!.Field, Is.EqualTo("noiseCondition"));
        Assert.DoesNotThrow(() => new GaussianMixture(5, 5, 10, 1, 0.1, Noise: NoiseFamily.Anisotropic, NoiseCondition: 1e6).Validate());
    }

    [Test]
    public void Beta_zero_flips_nothing_under_every_rule()
    {
        foreach (var rule in XRules)
        {
            var set = new GaussianMixture(2000, 1, 3, 1, 0, 1, rule).Realize(3).Training;
            Assert.That(set.Y, Is.EqualTo(set.YClean), rule.ToString());
        }
    }
}
