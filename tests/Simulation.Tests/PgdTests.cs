using Verify.Simulation.Settings;
using Verify.Simulation.Attack;
using Verify.Simulation.Kernels;
using Verify.Simulation.Model;
using Verify.Simulation.Randomness;

namespace Verify.Simulation.Tests;

public class PgdTests
{
    private static double[] LinearWeights(TwoLayerNetwork<double> net)
    {
        // With φ = identity, f(x) = ⟨v, x⟩, v = (1/√m)·Σ_s a_s·w_s.
        var v = new double[net.Dim];
        for (int s = 0; s < net.Width; s++)
            for (int j = 0; j < net.Dim; j++) v[j] += net.OutputSign(s) * net.Weights[s, j] / Math.Sqrt(net.Width);
        return v;
    }

    // From zero the default step 2.5·α/K walks straight to the oracle. From a random start the
    // tangential part decays only through projection, so those cases use a step of α.
    [TestCase(PgdStart.Zero, 20, 1, null)]
    [TestCase(PgdStart.Random, 60, 1, 0.7)]
    [TestCase(PgdStart.Random, 60, 3, 0.7)]
    public void Pgd_on_a_linear_network_reaches_the_exact_robust_margin(PgdStart start, int steps, int restarts, double? stepSize)
    {
        const int m = 10, r = 8, rows = 12;
        const double alpha = 0.7;
        var net = TestProblems.RandomNetwork(m, r, Activation.Identity, 21);
        var x = TestProblems.RandomInputs(rows, r, 22);
        var y = TestProblems.RandomLabels(rows, 23);
        var pgd = new Pgd<double>(new MarginKernel<double>(TestProblems.Gemm));
        var found = new AttackResult<double>(rows, r);
        pgd.Attack(net, x.Data, rows, y, new ThreatModel(alpha, new PgdSettings(steps, StepSize: stepSize, Start: start, Restarts: restarts), AmbientDimension: r), new Rng(5), found);
        var (delta, q) = (found.Perturbations, found.Margins);
        var v = LinearWeights(net);
        for (int i = 0; i < rows; i++)
        {
            double exact = LinearAttack.RobustMargin(v, x.Row(i), y[i], alpha);
            Assert.That(q[i], Is.EqualTo(exact).Within(1e-6), $"example {i}");
            var oracle = LinearAttack.Perturbation(v, y[i], alpha);
            for (int j = 0; j < r; j++) Assert.That(delta[i * r + j], Is.EqualTo(oracle[j]).Within(1e-5));
        }
    }

    /// <summary>The managed kernel under another name: an IGemm the margin kernel cannot pack ahead for.</summary>
    private sealed class Unpackable(IGemm inner) : IGemm
    {
        public string Name => "unpackable";
        public int Threads { get => inner.Threads; set => inner.Threads = value; }
        public void Gemm(bool ta, bool tb, int m, int n, int k, double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
            => inner.Gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        public void Gemm(bool ta, bool tb, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
            => inner.Gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>An attack packs W once for all its products on the managed kernel: the same bits as packing in every product, and W stays unpacked for later products.</summary>
    [Test]
    public void Packing_the_weights_once_per_attack_changes_no_bit()
    {
        const int m = 60, r = 37, rows = 25;
        var net = TestProblems.RandomNetwork(m, r, Activation.LeakyRelu(0.1), 41, scale: 3);
        var x = TestProblems.RandomInputs(rows, r, 42);
        var y = TestProblems.RandomLabels(rows, 43);
        var threat = new ThreatModel(0.8, new PgdSettings(7, Restarts: 2, Start: PgdStart.Random), r);
        var kernel = new MarginKernel<double>(ManagedGemm.Instance);
        var packed = new AttackResult<double>(rows, r);
        var direct = new AttackResult<double>(rows, r);
        new Pgd<double>(kernel).Attack(net, x.Data, rows, y, threat, new Rng(9), packed, cleanMargins: true);
        new Pgd<double>(new MarginKernel<double>(new Unpackable(ManagedGemm.Instance))).Attack(net, x.Data, rows, y, threat, new Rng(9), direct, cleanMargins: true);
        Assert.That(packed.Margins, Is.EqualTo(direct.Margins));
        Assert.That(packed.CleanMargins, Is.EqualTo(direct.CleanMargins));
        Assert.That(packed.Perturbations, Is.EqualTo(direct.Perturbations));

        // After the attack the kernel reads W itself again: a changed W changes the margins.
        var q = new double[rows];
        var before = new double[rows];
        kernel.Margins(net, x.Data, rows, y, before, default);
        for (int j = 0; j < net.Weights.Data.Length; j++) net.Weights.Data[j] *= 2;
        kernel.Margins(net, x.Data, rows, y, q, default);
        for (int i = 0; i < rows; i++) Assert.That(q[i], Is.EqualTo(2 * before[i]).Within(1e-12 * (1 + Math.Abs(before[i]))), $"example {i}");
    }

    [Test]
    public void Restarts_never_make_the_worst_case_better()
    {
        const int m = 30, r = 10, rows = 40;
        var net = TestProblems.RandomNetwork(m, r, Activation.LeakyRelu(0.1), 31, scale: 3);
        var x = TestProblems.RandomInputs(rows, r, 32);
        var y = TestProblems.RandomLabels(rows, 33);
        var pgd = new Pgd<double>(new MarginKernel<double>(TestProblems.Gemm));
        var one = new AttackResult<double>(rows, r);
        var four = new AttackResult<double>(rows, r);
        pgd.Attack(net, x.Data, rows, y, new ThreatModel(1.0, new PgdSettings(10, Restarts: 1), r), new Rng(1), one);
        pgd.Attack(net, x.Data, rows, y, new ThreatModel(1.0, new PgdSettings(10, Restarts: 4), r), new Rng(1), four);
        var (q1, q3) = (one.Margins, four.Margins);
        for (int i = 0; i < rows; i++) Assert.That(q3[i], Is.LessThanOrEqualTo(q1[i]), $"example {i}");
        Assert.That(q3.Zip(q1).Any(t => t.First < t.Second - 1e-9), "some restart should find a worse case on a nonlinear net");
    }

    [Test]
    public void Perturbations_never_leave_the_ball_even_from_ambient_random_starts()
    {
        const int m = 30, r = 10, rows = 40;
        const double alpha = 0.5;
        var net = TestProblems.RandomNetwork(m, r, Activation.LeakyRelu(0.1), 41, scale: 3);
        var x = TestProblems.RandomInputs(rows, r, 42);
        var y = TestProblems.RandomLabels(rows, 43);
        var pgd = new Pgd<double>(new MarginKernel<double>(TestProblems.Gemm));
        var found = new AttackResult<double>(rows, r);
        var (delta, q, clean) = (found.Perturbations, found.Margins, found.CleanMargins);
        foreach (double ambient in new double[] { r, 1e3, 1e9 })
        {
            pgd.Attack(net, x.Data, rows, y, new ThreatModel(alpha, new PgdSettings(7, Start: PgdStart.Random, Restarts: 3, StepSize: 0.9), ambient), new Rng(3), found, cleanMargins: true);
            for (int i = 0; i < rows; i++)
            {
                double norm = Math.Sqrt(delta.AsSpan(i * r, r).ToArray().Sum(z => z * z));
                Assert.That(norm, Is.LessThanOrEqualTo(alpha * (1 + 1e-12)), $"example {i}, d = {ambient}");
                Assert.That(q[i], Is.LessThanOrEqualTo(clean[i] + 1e-12), "the worst case is never better than δ = 0? (δ = 0 is not visited from random starts, but the attack must at least not report a margin above the clean one on this net)");
            }
        }
    }

    [Test]
    public void Symmetric_initialization_has_zero_input_gradient_and_it_is_counted()
    {
        const int r = 6, rows = 5;
        var half = TestProblems.RandomInputs(4, r, 51);
        var net = TwoLayerNetwork<double>.Symmetric(half, Activation.LeakyRelu(0.1));
        var x = TestProblems.RandomInputs(rows, r, 52);
        var y = TestProblems.RandomLabels(rows, 53);
        var pgd = new Pgd<double>(new MarginKernel<double>(TestProblems.Gemm));
        var found = new AttackResult<double>(rows, r);
        var stats = pgd.Attack(net, x.Data, rows, y, new ThreatModel(0.5, new PgdSettings(3), r), new Rng(1), found);
        var (delta, q) = (found.Perturbations, found.Margins);
        Assert.That(found.Stats, Is.EqualTo(stats), "the result keeps what the call did");
        Assert.That(stats.ZeroGradientSteps, Is.EqualTo(rows * 3));
        Assert.That(delta.All(v => v == 0), "no step on a zero gradient");
        Assert.That(q.All(v => Math.Abs(v) < 1e-15), "f ≡ 0 at symmetric initialization");
    }

    [Test]
    public void Convergence_stop_uses_fewer_steps_and_stays_close()
    {
        const int m = 10, r = 8, rows = 12;
        var net = TestProblems.RandomNetwork(m, r, Activation.Identity, 61);
        var x = TestProblems.RandomInputs(rows, r, 62);
        var y = TestProblems.RandomLabels(rows, 63);
        var pgd = new Pgd<double>(new MarginKernel<double>(TestProblems.Gemm));
        var found = new AttackResult<double>(rows, r);
        var stats = pgd.Attack(net, x.Data, rows, y, new ThreatModel(0.7, new PgdSettings(200, StopTolerance: 1e-9), r), new Rng(1), found);
        var q = found.Margins;
        Assert.That(stats.StepsTaken, Is.LessThan(200));
        var v = LinearWeights(net);
        for (int i = 0; i < rows; i++) Assert.That(q[i], Is.EqualTo(LinearAttack.RobustMargin(v, x.Row(i), y[i], 0.7)).Within(1e-6));
    }
}
