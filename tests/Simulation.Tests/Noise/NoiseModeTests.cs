using MathNet.Numerics.Distributions;
using Verify.Simulation.Attack;
using Verify.Simulation.Data;
using Verify.Simulation.Embedding;
using Verify.Simulation.Model;
using Verify.Simulation.Randomness;
using Verify.Simulation.Runs;
using Verify.Simulation.Settings;
using Verify.Simulation.Training;

namespace Verify.Simulation.Tests.Noise;

/// <summary>
/// Exactness per mode (docs/design.md, "Exact reductions"): naive and subspace hold real points of R^d and represent every
/// rule and family, so their trajectories agree to rounding; the rotation-invariant sampler represents Gaussian noise with
/// a rule that reads only ξ_1 (random, margin, confident) and refuses the rest, naming the setting; auto picks an exact mode.
/// </summary>
public class NoiseModeTests
{
    private static RunSpec Spec(LabelNoise rule, NoiseFamily family, double mu = 3, int d = 300, int nTest = 50)
        => TestProblems.Small(d: d, mu: mu, alpha: 0.4, iterations: 25) with
        {
            Data = new GaussianMixture(20, nTest, d, mu, 0.2, 1.2, rule, family, family == NoiseFamily.Anisotropic ? 30 : 4),
        };

    private static IEnumerable<TestCaseData> NewData()
    {
        yield return new TestCaseData(LabelNoise.Margin, NoiseFamily.Gaussian);
        yield return new TestCaseData(LabelNoise.Confident, NoiseFamily.Gaussian);
        yield return new TestCaseData(LabelNoise.Spurious, NoiseFamily.Gaussian);
        yield return new TestCaseData(LabelNoise.Random, NoiseFamily.GaussLaplace);
        yield return new TestCaseData(LabelNoise.Random, NoiseFamily.Anisotropic);
        yield return new TestCaseData(LabelNoise.Margin, NoiseFamily.GaussLaplace);
        yield return new TestCaseData(LabelNoise.Spurious, NoiseFamily.Anisotropic);
    }

    /// <summary>The tolerances of TrainingTests' naive-against-subspace test: 10⁻⁹ relative on losses, margins and ‖W − W0‖; errors exactly.</summary>
    [TestCaseSource(nameof(NewData))]
    public void Naive_and_subspace_give_the_same_trajectory(LabelNoise rule, NoiseFamily family)
    {
        var spec = Spec(rule, family);
        var (naive, qn, yn, tyn) = TestProblems.TrainIn(EmbeddingMode.Naive, spec);
        var (sub, qs, ys, tys) = TestProblems.TrainIn(EmbeddingMode.Subspace, spec);
        Assert.That(ys, Is.EqualTo(yn));
        Assert.That(tys, Is.EqualTo(tyn));
        Assert.That(yn.Count(y => y < 0) is > 0 and < 20);
        TestProblems.AssertSameTrajectory(naive, sub, qn, qs);
    }

    /// <summary>Whole runs: the metrics of naive and subspace runs agree (errors exactly, the loss to 10⁻⁹ relative).</summary>
    [TestCase(LabelNoise.Spurious, NoiseFamily.GaussLaplace)]
    [TestCase(LabelNoise.Confident, NoiseFamily.Anisotropic)]
    public void Naive_and_subspace_runs_report_the_same_metrics(LabelNoise rule, NoiseFamily family)
    {
        var spec = Spec(rule, family) with { Iterations = 10 };
        var a = Simulator.Run(spec with { Mode = EmbeddingMode.Naive }, gemm: TestProblems.Gemm);
        var b = Simulator.Run(spec with { Mode = EmbeddingMode.Subspace }, gemm: TestProblems.Gemm);
        Assert.That(b.Evaluation!.CleanTest, Is.EqualTo(a.Evaluation!.CleanTest));
        Assert.That(b.Evaluation.RobustTest, Is.EqualTo(a.Evaluation.RobustTest));
        Assert.That(b.Evaluation.CleanTrain, Is.EqualTo(a.Evaluation.CleanTrain));
        Assert.That(b.Training.Curve[^1].RobustLoss, Is.EqualTo(a.Training.Curve[^1].RobustLoss).Within(1e-9 * a.Training.Curve[^1].RobustLoss));
    }

    [TestCase(LabelNoise.Spurious, NoiseFamily.Gaussian, "labelNoise", "spurious")]
    [TestCase(LabelNoise.Random, NoiseFamily.GaussLaplace, "noise", "gauss-laplace")]
    [TestCase(LabelNoise.Margin, NoiseFamily.Anisotropic, "noise", "anisotropic")]
    public void Rotation_invariant_mode_refuses_what_it_cannot_represent(LabelNoise rule, NoiseFamily family, string field, string value)
    {
        var spec = Spec(rule, family) with { Mode = EmbeddingMode.RotationInvariant };
        var e = Assert.Throws<InvalidInputException>(() => spec.Validate());
        Assert.That(e!.Field, Is.EqualTo(field));
        Assert.That(e.Value, Is.EqualTo(value));
        Assert.That(e.Message, Does.Contain("rotation-invariant"));
        Assert.Throws<InvalidInputException>(() => Simulator.Realize(spec, TestProblems.Gemm), "the sampler refuses too");
        Assert.That(Simulator.ResolveMode(spec with { Mode = EmbeddingMode.Auto }), Is.EqualTo(EmbeddingMode.Subspace), "auto picks an exact mode");
    }

    [TestCase(LabelNoise.Random)]
    [TestCase(LabelNoise.Margin)]
    [TestCase(LabelNoise.Confident)]
    public void Auto_keeps_rotation_invariant_for_Gaussian_noise_and_rules_on_xi_1(LabelNoise rule)
        => Assert.That(Simulator.ResolveMode(Spec(rule, NoiseFamily.Gaussian)), Is.EqualTo(EmbeddingMode.RotationInvariant));

    /// <summary>
    /// In the rotation-invariant sampler (M = 0, so the e_1 coordinate is σ·z_0 exactly) the margin and confident rules
    /// flip exactly where y_c·ξ_1 is beyond σ·Φ⁻¹(β), in training and test draws, and the test set's flip rate is β:
    /// Hoeffding at n = 10⁵ with t = √(ln(2·2/1e-4)/(2n)) = 0.0073, so another seed fails one of the two cases with
    /// probability ≤ 1e-4. (The clean labels and ξ_1 have the law the full-d path gives them, as for random flips.)
    /// </summary>
    [TestCase(LabelNoise.Margin)]
    [TestCase(LabelNoise.Confident)]
    public void Rotation_invariant_flips_by_the_rule(LabelNoise rule)
    {
        const int nTest = 100_000;
        var spec = Spec(rule, NoiseFamily.Gaussian, mu: 0, d: 1_000_000_000, nTest: nTest) with { Mode = EmbeddingMode.RotationInvariant };
        var p = Simulator.Realize(spec, TestProblems.Gemm);
        double q = 1.2 * Normal.InvCDF(0, 1, 0.2);
        void Check(Kernels.Dense<double> x, sbyte[] y, sbyte[] yc)
        {
            for (int i = 0; i < y.Length; i++)
            {
                double score = yc[i] * x[i, 0];
                Assert.That(y[i] != yc[i], Is.EqualTo(rule == LabelNoise.Margin ? score <= q : score >= -q), $"point {i}");
            }
        }
        Check(p.TrainX, p.TrainY, p.TrainYClean);
        Check(p.TestX, p.TestY, p.TestYClean);
        double rate = (double)Enumerable.Range(0, nTest).Count(i => p.TestY[i] != p.TestYClean[i]) / nTest;
        Assert.That(rate, Is.EqualTo(0.2).Within(Math.Sqrt(Math.Log(4 / 1e-4) / (2.0 * nTest))));
    }

    /// <summary>The rotation-invariant sampler with the default rule draws what it drew before the settings (the same stream, the same order).</summary>
    [Test]
    public void Rotation_invariant_draws_for_a_rule_the_inputs_of_random_flips()
    {
        var a = Simulator.Realize(Spec(LabelNoise.Random, NoiseFamily.Gaussian) with { Mode = EmbeddingMode.RotationInvariant }, TestProblems.Gemm);
        var b = Simulator.Realize(Spec(LabelNoise.Margin, NoiseFamily.Gaussian) with { Mode = EmbeddingMode.RotationInvariant }, TestProblems.Gemm);
        Assert.That(b.TrainX.Data, Is.EqualTo(a.TrainX.Data));
        Assert.That(b.TestX.Data, Is.EqualTo(a.TestX.Data));
        Assert.That(b.TrainYClean, Is.EqualTo(a.TrainYClean));
        Assert.That(b.TestYClean, Is.EqualTo(a.TestYClean));
    }
}
