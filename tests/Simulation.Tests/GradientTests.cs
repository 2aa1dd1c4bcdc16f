using Verify.Simulation.Attack;
using Verify.Simulation.Kernels;
using Verify.Simulation.Model;
using Verify.Simulation.Randomness;
using Verify.Simulation.Training;

namespace Verify.Simulation.Tests;

/// <summary>Analytic gradients against central finite differences, for both activations.</summary>
public class GradientTests
{
    private static readonly Activation[] Activations = [Activation.LeakyRelu(0.1), Activation.Smoothed(0.1, 2.0), Activation.Identity];

    // f(x) for one input, written directly from the definition (independent of MarginKernel).
    private static double F(TwoLayerNetwork<double> net, ReadOnlySpan<double> x)
    {
        double sum = 0;
        for (int s = 0; s < net.Width; s++)
        {
            var w = net.Weights.Row(s);
            double h = 0;
            for (int j = 0; j < x.Length; j++) h += w[j] * x[j];
            sum += net.OutputSign(s) * net.Activation.Eval(h, out _);
        }
        return sum / Math.Sqrt(net.Width);
    }

    private static double MeanLoss(TwoLayerNetwork<double> net, Dense<double> x, sbyte[] y)
    {
        double l = 0;
        for (int i = 0; i < x.Rows; i++) l += Loss.Logistic(y[i] * F(net, x.Row(i)));
        return l / x.Rows;
    }

    [TestCaseSource(nameof(Activations))]
    public void Input_gradient_matches_finite_differences(Activation act)
    {
        const int m = 16, r = 7, rows = 5;
        var net = TestProblems.RandomNetwork(m, r, act, 3);
        var x = TestProblems.RandomInputs(rows, r, 4);
        var y = TestProblems.RandomLabels(rows, 5);
        var kernel = new MarginKernel<double>(ManagedGemm.Instance);
        var q = new double[rows];
        var p = new double[rows * m];
        var g = new double[rows * r];
        kernel.Margins(net, x.Data, rows, y, q, p);
        kernel.InputGradients(net, p, rows, g);

        const double h = 1e-6;
        for (int i = 0; i < rows; i++)
        {
            Assert.That(q[i], Is.EqualTo(y[i] * F(net, x.Row(i))).Within(1e-12), "margin");
            for (int j = 0; j < r; j++)
            {
                var plus = x.Row(i).ToArray(); plus[j] += h;
                var minus = x.Row(i).ToArray(); minus[j] -= h;
                double fd = y[i] * (F(net, plus) - F(net, minus)) / (2 * h);
                Assert.That(g[i * r + j], Is.EqualTo(fd).Within(1e-7 + 1e-6 * Math.Abs(fd)), $"∂q_{i}/∂x_{j} ({act})");
            }
        }
    }

    [TestCaseSource(nameof(Activations))]
    public void Weight_gradient_of_the_training_step_matches_finite_differences(Activation act)
    {
        // One GD step with α = 0 and η: (W_before − W_after)/η is the gradient the trainer used.
        const int m = 12, r = 6, n = 8;
        const double eta = 1e-3;
        var net = TestProblems.RandomNetwork(m, r, act, 7);
        var x = TestProblems.RandomInputs(n, r, 8);
        var y = TestProblems.RandomLabels(n, 9);
        var before = net.Weights.Clone();
        new AdversarialTrainer<double>(ManagedGemm.Instance).Train(net, x, y, new ThreatModel(0, new PgdSettings(0), r),
            new TrainingSettings(1, eta), new Rng(1));

        var probe = new TwoLayerNetwork<double>(before.Clone(), act);
        const double h = 1e-6;
        for (int s = 0; s < m; s++)
            for (int j = 0; j < r; j++)
            {
                double saved = probe.Weights[s, j];
                probe.Weights[s, j] = saved + h; double lp = MeanLoss(probe, x, y);
                probe.Weights[s, j] = saved - h; double lm = MeanLoss(probe, x, y);
                probe.Weights[s, j] = saved;
                double fd = (lp - lm) / (2 * h);
                double used = (before[s, j] - net.Weights[s, j]) / eta;
                Assert.That(used, Is.EqualTo(fd).Within(1e-7 + 1e-5 * Math.Abs(fd)), $"∂L/∂w_{s},{j} ({act})");
            }
    }

    [Test]
    public void Smoothed_activation_is_continuous_with_exact_derivative()
    {
        var act = Activation.Smoothed(0.2, 3);
        foreach (double z in new[] { -1 / 3.0, 1 / 3.0 })
        {
            double left = act.Eval(z - 1e-12, out double dl), right = act.Eval(z + 1e-12, out double dr);
            Assert.That(right - left, Is.EqualTo(0).Within(1e-11), $"φ continuous at {z}");
            Assert.That(dr - dl, Is.EqualTo(0).Within(1e-10), $"φ' continuous at {z}");
        }
        foreach (double z in new[] { -2.0, -0.3, -0.1, 0, 0.05, 0.2, 0.34, 1.5 })
        {
            act.Eval(z, out double d);
            double fd = (act.Eval(z + 1e-7, out _) - act.Eval(z - 1e-7, out _)) / 2e-7;
            Assert.That(d, Is.EqualTo(fd).Within(1e-7), $"φ'({z})");
        }
        // Limits: slope 1 on the right, γ on the left.
        act.Eval(10, out double dRight); act.Eval(-10, out double dLeft);
        Assert.That(dRight, Is.EqualTo(1)); Assert.That(dLeft, Is.EqualTo(0.2).Within(1e-15));
    }

    [Test]
    public void Logistic_loss_is_stable_for_large_margins()
    {
        Assert.That(Loss.Logistic(800.0), Is.EqualTo(Math.Exp(-800)).Within(1e-300));
        Assert.That(Loss.Logistic(-800.0), Is.EqualTo(800).Within(1e-12));
        Assert.That(Loss.Logistic(0.0), Is.EqualTo(Math.Log(2)).Within(1e-16));
        foreach (double q in new[] { -30.0, -1, 0, 0.5, 30 })
        {
            double fd = (Loss.Logistic(q + 1e-6) - Loss.Logistic(q - 1e-6)) / 2e-6;
            Assert.That(Loss.LogisticDerivative(q), Is.EqualTo(fd).Within(1e-8));
        }
        Assert.That(Loss.LogisticDerivative(-800.0), Is.EqualTo(-1));
    }

    [Test]
    public void Single_precision_logistic_loss_keeps_its_relative_accuracy_for_small_losses()
    {
        // Reference: the f64 value, whose own error is ~1e-16 relative; log(1 + e^{−q}) = e^{−q} − e^{−2q}/2 + … in closed form.
        // f32 as log(1 + x) would be off by 4e-4 relative at q = 10, 17% at q = 15 and return 0 beyond q ≈ 16.6.
        foreach (double q in new[] { 0.1, 1, 4.6, 7, 10, 15, 20, 40, 80 })
        {
            double exact = Math.Exp(-q) - Math.Exp(-2 * q) / 2 + Math.Exp(-3 * q) / 3;
            if (q < 10) exact = Math.Log(1 + Math.Exp(-q));
            float single = Loss.Logistic((float)q);
            Assert.That(Math.Abs(single - exact) / exact, Is.LessThan(4 * 6e-8 + 1e-7), $"q = {q}: {single} against {exact}");
        }
    }
}
