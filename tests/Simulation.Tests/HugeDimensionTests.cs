using Verify.Simulation.Settings;
using System.Numerics;
using MathNet.Numerics.Distributions;
using Verify.Simulation.Attack;
using Verify.Simulation.Data;
using Verify.Simulation.Embedding;
using Verify.Simulation.Evaluation;
using Verify.Simulation.Model;
using Verify.Simulation.Randomness;
using Verify.Simulation.Runs;
using Verify.Simulation.Training;

namespace Verify.Simulation.Tests;

/// <summary>
/// Numerical trust of the rotation-invariant mode at huge d, where no point of R^d is ever held: the f32
/// path against the f64 path on the same sampled problem (d = 10⁶, 10⁹, 10¹²), and the sampled Gram
/// quantities at d = 10¹² and 10¹⁵ (the largest d accepted) against their closed-form laws, fluctuations included.
/// </summary>
public class HugeDimensionTests
{
    private const int N = 20, NTest = 500;

    /// <summary>
    /// n = 20, m = 40, T = 100, PGD-5 in training and PGD-10 from zero in evaluation, α/M = 0.1, β = 0.1, default η and ω.
    /// M = (d/n)^{1/4} puts the cell on the clean boundary d = n·M⁴: the clean test error is 0.2–0.36 at every d here
    /// (label noise alone gives 0.1), so the per-point decisions compared below are informative. The robust test error
    /// of this cell is 1.0 at d ≥ 10⁹, and at α/M = 0.1 moving M does not give it an informative value at huge d either
    /// (measured, 8 seeds at d = 10⁹, 10¹², 10¹⁵: 1.0 up to M = 0.1·√(d/n), the label-noise floor for most seeds from
    /// 0.15·√(d/n), an intermediate value in 2 of 72 runs), so the attack's numerics are checked through the robust
    /// training loss and the per-point robust decisions, not through an intermediate robust rate.
    /// </summary>
    private static RunSpec BoundaryCell(long d, ulong seed = 3)
    {
        double mu = Math.Pow((double)d / N, 0.25);
        return new RunSpec
        {
            Data = new GaussianMixture(N, NTest, d, mu, Beta: 0.1),
            Alpha = 0.1 * mu,
            Width = 40,
            Iterations = 100,
            TrainAttack = new PgdSettings(5),
            EvalAttack = new PgdSettings(10),
            Mode = EmbeddingMode.RotationInvariant,
            Seed = seed,
        };
    }

    /// <summary>
    /// What precision changes in this mode: the sampler always works in f64 (Simulator.Realize), and
    /// Precision.Single casts that problem once (CoordinateProblem.Convert&lt;float&gt;) before training. The two runs
    /// therefore see the same data up to one f32 rounding, and everything after it differs: sgemm against dgemm, the
    /// margin kernel, PGD, the GD update, the loss and the evaluation. This compares the f32 and the f64 compute paths,
    /// not two samplers (the sampler itself is checked against closed forms below).
    /// <para>Tolerances. Loss: 1e-4 relative, on every recorded iteration and on the final robust training loss.
    /// Measured over 8 seeds at each of d = 10⁶, 10⁹, 10¹², 10¹⁵: at most 2.2e-6 (≈ 37 u, u = 2⁻²⁴ = 6e-8, the f32 unit
    /// roundoff), measured when Loss.Logistic in f32 still rounded 1 + e^{−q} (up to u/ℓ relative, 6e-6 at the final
    /// ℓ ≈ 0.01); it now keeps its relative accuracy for small losses (GradientTests). The weights' own rounding does not
    /// build up: the relative difference stays between 1e-8 and 2e-6 over the 100 iterations instead of growing with t.
    /// The 1e-4 bound leaves 45× above the worst case measured. These are the managed kernel's numbers (the assembly pins
    /// it, <see cref="PinnedKernel"/>): OpenBLAS's sgemm, which sums the products in another order, keeps fewer of the bits
    /// that the paired rows cancel, and on OpenBLAS this cell (seed 3) moves 9.8e-4 (10⁶), 9.6e-3 (10⁹) and 7.8e-3 (10¹²)
    /// from f64 while OpenBLAS's f64 agrees with the managed f64 to 7e-16. An auto default that a calibration sent to OpenBLAS
    /// failed this test at all three d.
    /// Decisions: at most 2 of 500 test points may change side, clean or robust. A point flips only when |q| is
    /// below the f32 margin error, measured ≤ 5e-5 of the margins' rms at 10¹²: the expected number of such points
    /// among 500 is about 0.02, and 0 flipped in any measured run; 2 leaves room for a rare point on the boundary.</para>
    /// </summary>
    [TestCase(1e6)]
    [TestCase(1e9)]
    [TestCase(1e12)]
    public void Single_precision_matches_double_at_huge_d(double dimension)
    {
        var spec = BoundaryCell((long)dimension);
        var (f64, f32) = (Simulator.Run(spec), Simulator.Run(spec with { Precision = Precision.Single }));
        Assert.That((f64.Mode, f32.Mode), Is.EqualTo(("rotation-invariant", "rotation-invariant")));
        Assert.That((f64.Precision, f32.Precision), Is.EqualTo(("f64", "f32")));
        Assert.That(f32.LearningRate, Is.EqualTo(f64.LearningRate), "η comes from the f64 data in both runs");

        double worstCurve = MaxRelativeCurveDifference(f64, f32);
        double finalLoss = RelativeDifference(f32.Evaluation!.RobustTrainLoss, f64.Evaluation!.RobustTrainLoss);
        Assert.That(worstCurve, Is.LessThan(1e-4), "robust training loss along the curve");
        Assert.That(worstCurve, Is.GreaterThan(0), "bit-identical curves: the f32 path did not run");
        Assert.That(finalLoss, Is.LessThan(1e-4), "final robust training loss (PGD-10 evaluation attack)");

        // Per point: the same test margins, recomputed from the same run in each precision (checked against the run's counts).
        var problem = Simulator.Realize(spec, TestProblems.Gemm);
        var q64 = FinalTestMargins(spec, problem, f64);
        var q32 = FinalTestMargins(spec, problem.Convert<float>(), f32);
        int cleanFlips = 0, robustFlips = 0;
        double worstClean = 0, rms = Math.Sqrt(q64.Clean.Average(q => q * q));
        for (int i = 0; i < NTest; i++)
        {
            if (q64.Clean[i] <= 0 != q32.Clean[i] <= 0) cleanFlips++;
            if (q64.Robust[i] <= 0 != q32.Robust[i] <= 0) robustFlips++;
            worstClean = Math.Max(worstClean, Math.Abs(q64.Clean[i] - q32.Clean[i]) / rms);
        }
        TestContext.Out.WriteLine($"d = {dimension:G3}: loss curve {worstCurve:G3}, final {finalLoss:G3}; clean margins {worstClean:G3} of rms; "
            + $"flips clean {cleanFlips}, robust {robustFlips}; errors clean {f64.Evaluation.CleanTest.Errors}/{f32.Evaluation.CleanTest.Errors}, robust {f64.Evaluation.RobustTest.Errors}/{f32.Evaluation.RobustTest.Errors}");
        Assert.That(cleanFlips, Is.LessThanOrEqualTo(2), "test points whose clean decision differs");
        Assert.That(robustFlips, Is.LessThanOrEqualTo(2), "test points whose robust decision differs");
        // The clean test margins themselves: measured 7e-7 (10⁶), 1e-5 (10⁹), 5e-5 (10¹²) of their rms, growing with d
        // because the default ω keeps ||W(0)|| at 10⁻³ while the learned part shrinks like 1/√d (the paired rows cancel W(0)).
        Assert.That(worstClean, Is.LessThan(1e-3), "largest clean test margin difference, relative to the margins' rms");
        Assert.That(f64.Evaluation.CleanTest.Rate, Is.InRange(0.15, 0.45), "the cell is informative: neither trivial nor chance");
    }

    /// <summary>
    /// Known limit, reported rather than hidden (hence explicit): the same comparison with M = 0.2·√(d/n), where the
    /// robust training has a long plateau, fails at d = 10¹²: with M = 0.1, 0.15, 0.2·√(d/n) and seeds 1–8, 14 of 24 runs
    /// exceed 1e-4 along the curve and 11 of 24 in the final loss, by up to 0.18 and 2.7e-2 (this seed: 0.18 and 2.7e-2),
    /// while d = 10⁶, 10⁹ and 10¹⁵ stay ≤ 2.3e-6 in the same cells. Mechanism, traced on this seed: PGD keeps its best
    /// iterate, and at iteration 26 steps 3 and 4 of one point's attack have margins 0.2629302 and 0.2629212, at points of
    /// the ball 0.33·α apart; f64 keeps step 3, f32 step 4 (in f64, step 4's margin is not below step 3's), the update and
    /// the activation pattern change, and the runs separate. Near-ties are
    /// resolved by rounding, and f32 rounding is large here because the default ω = 10⁻³/√d keeps ||W(0)|| = 10⁻³ while
    /// ||W − W(0)|| ∝ 1/√d: the input gradient Σ_s P_s·w_s cancels W(0) between paired rows and loses log₂(||W(0)||/||ΔW||),
    /// 7–9 bits at 10¹² (||W(0)|| = 6.3e-3, ||ΔW|| = 1e-5 to 4e-5). With ω a thousand times smaller, all 56 runs per d
    /// (M from (d/n)^{1/4} to 0.2·√(d/n), seeds 1–8, d = 10⁶ … 10¹⁵) agree to ≤ 3.1e-6.
    /// </summary>
    [Test, Explicit("known f32 limit at d = 1e12 in the large-signal cell, reported; see the summary")]
    public void Single_precision_matches_double_in_the_large_signal_cell_at_1e12()
    {
        const long d = 1_000_000_000_000;
        double mu = 0.2 * Math.Sqrt((double)d / N);
        var spec = BoundaryCell(d, seed: 1) with { Data = new GaussianMixture(N, NTest, d, mu, Beta: 0.1), Alpha = 0.1 * mu };
        var (f64, f32) = (Simulator.Run(spec), Simulator.Run(spec with { Precision = Precision.Single }));
        Assert.That(MaxRelativeCurveDifference(f64, f32), Is.LessThan(1e-4), "robust training loss along the curve");
        Assert.That(RelativeDifference(f32.Evaluation!.RobustTrainLoss, f64.Evaluation!.RobustTrainLoss), Is.LessThan(1e-4));
    }

    /// <summary>
    /// The sampler's coordinates against the exact laws, for x = y·μ + ξ (μ = M·e₁, ξ ~ N(0, σ²I_d)) and w ~ N(0, ω²I_d):
    /// ||x||² = M² + 2yMξ₁ + ||ξ||², mean dσ² + M², variance 2dσ⁴ + 4M²σ²; y_i·y_j·⟨x_i, x_j⟩, mean M², variance 2M²σ² + dσ⁴;
    /// ⟨w, x⟩/(ω·||x||) ~ N(0, 1) exactly; ||w||², mean ω²d, variance 2ω⁴d. Each is standardized, and the
    /// standardized values must have mean 0 (within 5/√N), variance 1 (within 6·√(2/N), six standard deviations of a sample
    /// variance) and the N(0, 1) law (one-sample Kolmogorov–Smirnov, p &gt; 10⁻⁵; the χ²_d skewness √(8/d) is 3e-6 here).
    /// <para>The numerical content: ||x||² = dσ² + O(√d), and these statistics test the O(√d) part, a relative 1.4e-6 (10¹²)
    /// to 4.5e-8 (10¹⁵) of the total. A value computed as "d + something" in too few digits keeps the mean and loses or
    /// distorts the variance: the f32 copy of these very coordinates at 10¹⁵ gives variance 1.85 and mean −0.31 (see the
    /// next test), far outside the tolerance 0.06, so the check has the power to see it. M = d^{1/4} makes the offset M²
    /// = √d visible too: it moves the mean of the first two statistics by 0.31 and 0.44 standard deviations, 9× the tolerance.</para>
    /// <para>Seeds 0–499 are fixed: deterministic. Other seeds would fail a d with probability ≤ 4 × (2Φ(−5) + 2Φ(−6) + 10⁻⁵)
    /// = 4e-5 (four statistics: mean, variance, law); with the former 4/√N and 10⁻³ it was 4.3e-3.</para>
    /// Samples: 500 seeds × 40 points (norms, ⟨w_i, x_i⟩ with the i-th initial row), 20 disjoint pairs per seed for the
    /// inner products (independent), ω the default 10⁻³/√d.
    /// </summary>
    [TestCase(1e12)]
    [TestCase(1e15)]
    public void Gram_quantities_follow_their_closed_form_laws(double dimension)
    {
        var s = SampleGram(dimension, single: false);
        foreach (var (name, z) in new[] { ("||x||²", s.Norms), ("y_i·y_j·⟨x_i, x_j⟩", s.Inner), ("⟨w, x⟩/(ω·||x||)", s.WeightInput), ("||w||²", s.WeightNorms) })
            AssertStandardNormal(z, $"{name} at d = {dimension:G3}");
    }

    /// <summary>
    /// The f32 path trains on the same coordinates rounded once to f32. What matters for ||x||² is the rounding of the
    /// one large coordinate, the Bartlett diagonal σ·χ_{d−1−j} ≈ σ·√d: it moves ||x||² by up to σ·√d·ulp(σ·√d), so the
    /// standardized norm lives on a lattice of step h = 2σ√d·ulp/sd(||x||²). At 10¹², h = 0.118 (ulp = 2⁻³ at 1.5·10⁶):
    /// the O(√d) fluctuation keeps its size (mean and variance as in f64, tolerances as above; measured variance 1.0084
    /// against 1.0068 in f64) but its law is visibly discrete, so Kolmogorov–Smirnov against the continuous N(0, 1) rejects
    /// (p = 5e-13). The check is then that the distance is no more than the lattice explains: sup|F − Φ| ≤ φ(0)·h/2
    /// (a staircase through Φ) + 2.47/√N (the KS critical distance at p = 10⁻⁵).
    /// Seeds 0–499 are fixed: deterministic; other seeds would fail with probability ≤ 2Φ(−5) + 2Φ(−6) + 10⁻⁵ ≈ 1.1e-5.
    /// At 10¹⁵ the copy loses the fluctuation (explicit case, reported): ulp = 4 at 4.7·10⁷, h = 3.8 standard deviations,
    /// measured mean −0.31, variance 1.85, KS distance 0.66. Training does not visibly suffer there (f32 and f64 losses
    /// agree to 2e-6 at 10¹⁵, margins feel ||x_i||² only to relative precision), but in f32 at that d nothing that depends
    /// on the norm fluctuation, a relative 4.5e-8, can be trusted.
    /// </summary>
    [TestCase(1e12)]
    [TestCase(1e15, Explicit = true, Reason = "known f32 limit at d = 1e15, reported: ulp(σ√d) exceeds the norm fluctuation")]
    public void The_single_precision_copy_keeps_the_norm_fluctuation(double dimension)
    {
        var z = SampleGram(dimension, single: true).Norms;
        double root = GramSigma * Math.Sqrt(dimension), ulp = MathF.BitIncrement((float)root) - (float)root;
        double sd = Math.Sqrt(2 * dimension * Math.Pow(GramSigma, 4) + 4 * Math.Sqrt(dimension) * GramSigma * GramSigma);
        double step = 2 * root * ulp / sd;
        var (distance, _) = KolmogorovSmirnovNormal(z);
        TestContext.Out.WriteLine($"f32 lattice step {step:G3} sd, KS distance {distance:G3}");
        AssertStandardMoments(z, $"||x||² from f32 coordinates at d = {dimension:G3}");
        Assert.That(distance, Is.LessThanOrEqualTo(Normal.PDF(0, 1, 0) * step / 2 + 2.47 / Math.Sqrt(z.Count)), "distance from N(0, 1) beyond the rounding lattice");
    }

    private const double GramSigma = 1.5;

    private sealed record GramSample(List<double> Norms, List<double> Inner, List<double> WeightInput, List<double> WeightNorms);

    private static GramSample SampleGram(double dimension, bool single)
    {
        const int n = 40, seeds = 500;
        const double sigma = GramSigma;
        long d = (long)dimension;
        double mu = Math.Pow(dimension, 0.25), omega = DefaultRules.InitScale(dimension), s2 = sigma * sigma, m2 = mu * mu;
        var data = new GaussianMixture(N: n, NTest: 1, D: d, Mu: mu, Beta: 0, Sigma: sigma);
        var sample = new GramSample([], [], [], []);
        for (ulong seed = 0; seed < seeds; seed++)
        {
            var p = RotationInvariantSampler.Sample(data, width: 2 * n, omega, seed);
            // Inner products of coordinate rows, accumulated in f64 (from the f32 copy when single).
            var copy = single ? p.Convert<float>() : null;
            var (x, u) = copy is null ? (p.TrainX, p.InitialHalfRows) : (Widen(copy.TrainX), Widen(copy.InitialHalfRows));
            for (int i = 0; i < n; i++)
            {
                double xx = Dot(x.Row(i), x.Row(i));
                sample.Norms.Add((xx - dimension * s2 - m2) / Math.Sqrt(2 * dimension * s2 * s2 + 4 * m2 * s2));
                sample.WeightInput.Add(Dot(u.Row(i), x.Row(i)) / (omega * Math.Sqrt(xx)));
                sample.WeightNorms.Add((Dot(u.Row(i), u.Row(i)) - omega * omega * dimension) / (omega * omega * Math.Sqrt(2 * dimension)));
            }
            for (int i = 0; i < n; i += 2)
                sample.Inner.Add((p.TrainYClean[i] * p.TrainYClean[i + 1] * Dot(x.Row(i), x.Row(i + 1)) - m2) / Math.Sqrt(2 * m2 * s2 + dimension * s2 * s2));
        }
        return sample;
    }

    private static void AssertStandardNormal(List<double> z, string what)
    {
        AssertStandardMoments(z, what);
        var (distance, p) = KolmogorovSmirnovNormal(z);
        TestContext.Out.WriteLine($"{what}: KS distance {distance:G3}, p {p:G3}");
        Assert.That(p, Is.GreaterThan(1e-5), $"{what}: law (Kolmogorov–Smirnov against N(0, 1))");
    }

    private static void AssertStandardMoments(List<double> z, string what)
    {
        int count = z.Count;
        double mean = z.Average(), variance = z.Sum(v => (v - mean) * (v - mean)) / (count - 1);
        TestContext.Out.WriteLine($"{what}: N = {count}, mean {mean:F4}, variance {variance:F4}");
        Assert.That(mean, Is.EqualTo(0).Within(5 / Math.Sqrt(count)), $"{what}: mean");
        Assert.That(variance, Is.EqualTo(1).Within(6 * Math.Sqrt(2.0 / (count - 1))), $"{what}: variance (the O(√d) fluctuation)");
    }

    /// <summary>One-sample Kolmogorov–Smirnov against N(0, 1): sup|F_N − Φ| and its asymptotic p-value (Stephens' correction, as in <see cref="TwoSample"/>).</summary>
    private static (double Distance, double P) KolmogorovSmirnovNormal(IReadOnlyList<double> z)
    {
        var sorted = z.Order().ToArray();
        int count = sorted.Length;
        double dmax = 0;
        for (int i = 0; i < count; i++)
        {
            double f = Normal.CDF(0, 1, sorted[i]);
            dmax = Math.Max(dmax, Math.Max((i + 1.0) / count - f, f - (double)i / count));
        }
        double sq = Math.Sqrt(count), lambda = (sq + 0.12 + 0.11 / sq) * dmax, sum = 0;
        for (int k = 1; k <= 100; k++) sum += 2 * (k % 2 == 1 ? 1 : -1) * Math.Exp(-2.0 * k * k * lambda * lambda);
        return (dmax, Math.Clamp(sum, 0, 1));
    }

    private static (double[] Clean, double[] Robust) FinalTestMargins<T>(RunSpec spec, CoordinateProblem<T> problem, RunResult run)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Simulator.Run's training and test attack, step by step, keeping the per-point margins it only counts.
        var net = TwoLayerNetwork<T>.Symmetric(problem.InitialHalfRows, spec.Activation);
        var outcome = new AdversarialTrainer<T>(TestProblems.Gemm).Train(net, problem.TrainX, problem.TrainY,
            new ThreatModel(spec.Alpha, spec.TrainAttack, problem.AmbientDimension), new TrainingSettings(spec.Iterations, run.LearningRate),
            SeedStreams.For(spec.Seed, RandomStream.TrainingAttack));
        Assert.That(outcome.Curve[^1].RobustLoss, Is.EqualTo(run.Training.Curve[^1].RobustLoss), "the replay is the run");

        var pgd = new Pgd<T>(new MarginKernel<T>(TestProblems.Gemm));
        var threat = new ThreatModel(spec.Alpha, spec.EvalAttack, problem.AmbientDimension);
        var rng = SeedStreams.For(spec.Seed, RandomStream.EvaluationAttack); // unused by PGD from zero; kept for fidelity
        int nt = problem.NTest, r = problem.R, chunkRows = Evaluator<T>.ChunkRows;
        var chunk = new AttackResult<T>(chunkRows, r);
        var (clean, robust) = (new double[nt], new double[nt]);
        for (int start = 0; start < nt; start += chunkRows)
        {
            int rows = Math.Min(chunkRows, nt - start);
            pgd.Attack(net, problem.TestX.Data.AsSpan(start * r, rows * r), rows, problem.TestY.AsSpan(start, rows), threat, rng, chunk, cleanMargins: true);
            for (int i = 0; i < rows; i++)
            {
                clean[start + i] = double.CreateTruncating(chunk.CleanMargins[i]);
                robust[start + i] = double.CreateTruncating(chunk.Margins[i]);
            }
        }
        Assert.That((clean.Count(q => q <= 0), robust.Count(q => q <= 0)), Is.EqualTo((run.Evaluation!.CleanTest.Errors, run.Evaluation.RobustTest.Errors)),
            "the replay's test errors are the run's");
        return (clean, robust);
    }

    private static double MaxRelativeCurveDifference(RunResult a, RunResult b)
    {
        Assert.That(b.Training.Curve, Has.Count.EqualTo(a.Training.Curve.Count));
        return a.Training.Curve.Zip(b.Training.Curve, (x, y) => RelativeDifference(y.RobustLoss, x.RobustLoss)).Max();
    }

    private static double RelativeDifference(double value, double reference) => Math.Abs(value - reference) / Math.Abs(reference);

    private static Kernels.Dense<double> Widen(Kernels.Dense<float> m) => new(m.Rows, m.Cols, Array.ConvertAll(m.Data, v => (double)v));

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double t = 0;
        for (int k = 0; k < a.Length; k++) t += a[k] * b[k];
        return t;
    }
}
