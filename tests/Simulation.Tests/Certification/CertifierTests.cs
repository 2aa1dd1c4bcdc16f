using Verify.Simulation.Settings;
using CsCheck;
using Verify.Simulation.Attack;
using Verify.Simulation.Certification;
using Verify.Simulation.Kernels;
using Verify.Simulation.Model;
using Verify.Simulation.Randomness;

namespace Verify.Simulation.Tests.Certification;

/// <summary>
/// The certified lower bound of the worst-case margin: exact where the network is linear on the ball, never
/// above a margin that any perturbation in the ball reaches (random points, long PGD), tightened but still
/// sound by slope optimization, and the same in basis coordinates as in R^d.
/// </summary>
public class CertifierTests
{
    private static double[] LinearWeights(TwoLayerNetwork<double> net)
    {
        var v = new double[net.Dim];
        for (int s = 0; s < net.Width; s++)
            for (int j = 0; j < net.Dim; j++) v[j] += net.OutputSign(s) * net.Weights[s, j] / Math.Sqrt(net.Width);
        return v;
    }

    /// <summary>The worst margins a long PGD (with random restarts) finds: upper bounds of the true worst case.</summary>
    private static double[] Attacked(TwoLayerNetwork<double> net, Dense<double> x, sbyte[] y, double alpha, int steps, int restarts, ulong seed)
    {
        var found = new AttackResult<double>(x.Rows, x.Cols);
        new Pgd<double>(new MarginKernel<double>(TestProblems.Gemm)).Attack(net, x.Data, x.Rows, y,
            new ThreatModel(alpha, new PgdSettings(steps, Restarts: restarts), AmbientDimension: x.Cols), new Rng(seed), found);
        return found.Margins.ToArray();
    }

    private static double[] Bounds(TwoLayerNetwork<double> net, Dense<double> x, sbyte[] y, double alpha)
    {
        var lower = new double[x.Rows];
        new RobustnessCertifier<double>(TestProblems.Gemm).LowerBounds(net, x.Data, x.Rows, y, alpha, lower);
        return lower;
    }

    [TestCase(0.0)]
    [TestCase(0.3)]
    [TestCase(2.0)]
    public void On_a_linear_network_the_bound_is_the_exact_worst_case_margin(double alpha)
    {
        // Identity and leaky ReLU with γ = 1 are both linear: every neuron is "stable".
        foreach (var act in new[] { Activation.Identity, Activation.LeakyRelu(1) })
        {
            var net = TestProblems.RandomNetwork(12, 9, act, 3);
            var x = TestProblems.RandomInputs(30, 9, 4);
            var y = TestProblems.RandomLabels(30, 5);
            var lower = Bounds(net, x, y, alpha);
            var v = LinearWeights(net);
            for (int i = 0; i < x.Rows; i++)
            {
                double exact = LinearAttack.RobustMargin(v, x.Row(i), y[i], alpha);
                Assert.That(lower[i], Is.EqualTo(exact).Within(1e-12 * (1 + Math.Abs(exact))), $"{act}, row {i}");
                Assert.That(lower[i], Is.LessThanOrEqualTo(exact), "the rounding allowance only lowers it");
            }
        }
    }

    [Test]
    public void At_zero_budget_the_bound_is_the_margin_itself()
    {
        var net = TestProblems.RandomNetwork(20, 7, Activation.LeakyRelu(0.1), 6, scale: 2);
        var x = TestProblems.RandomInputs(25, 7, 7);
        var y = TestProblems.RandomLabels(25, 8);
        var lower = Bounds(net, x, y, 0);
        var q = new double[x.Rows];
        new MarginKernel<double>(TestProblems.Gemm).Margins(net, x.Data, x.Rows, y, q, []);
        for (int i = 0; i < x.Rows; i++) Assert.That(lower[i], Is.EqualTo(q[i]).Within(1e-12));
    }

    /// <summary>Networks, inputs and budgets of every shape; the bound must sit below the margin at every point of the ball tried.</summary>
    [TestCase(ActivationKind.LeakyRelu)]
    [TestCase(ActivationKind.SmoothedLeakyRelu)]
    public void The_bound_is_never_above_a_margin_reached_in_the_ball(ActivationKind kind)
    {
        Gen.Select(Gen.Int[1, 20], Gen.Int[1, 12], Gen.Double[0.01, 3], Gen.Double[0.05, 1], Gen.ULong).ForAll((half, r, alpha, gamma, seed) =>
        {
            var act = kind == ActivationKind.LeakyRelu ? Activation.LeakyRelu(gamma) : Activation.Smoothed(gamma, 2);
            var net = TestProblems.RandomNetwork(2 * half, r, act, seed, scale: 3);
            var x = TestProblems.RandomInputs(6, r, seed + 1);
            var y = TestProblems.RandomLabels(6, seed + 2);
            var lower = Bounds(net, x, y, alpha);
            var certifier = new RobustnessCertifier<double>(TestProblems.Gemm);
            var kernel = new MarginKernel<double>(TestProblems.Gemm);
            var rng = new Rng(seed + 3);
            var point = new double[r];
            var q = new double[1];
            for (int i = 0; i < x.Rows; i++)
            {
                double optimized = certifier.OptimizedLowerBound(net, x.Row(i), y[i], alpha, 30);
                if (optimized < lower[i] - 1e-9) throw new Exception($"optimized {optimized} below plain {lower[i]}");
                for (int trial = 0; trial < 40; trial++)
                {
                    // A random direction, at a random radius up to α (often the sphere itself).
                    double norm = 0;
                    for (int j = 0; j < r; j++) { point[j] = rng.NextNormal(); norm += point[j] * point[j]; }
                    double radius = alpha * (trial % 2 == 0 ? 1 : rng.NextDouble()) / Math.Sqrt(norm);
                    for (int j = 0; j < r; j++) point[j] = x[i, j] + radius * point[j];
                    kernel.Margins(net, point, 1, y.AsSpan(i, 1), q, []);
                    if (q[0] < optimized) throw new Exception($"row {i}: margin {q[0]} at a point of the ball is below the certified bound {optimized}");
                }
            }
        }, iter: 60);
    }

    [Test]
    [Category(Categories.Slow)]
    public void No_certified_example_is_flipped_by_a_long_PGD_and_optimizing_the_slopes_certifies_more()
    {
        const int m = 200, r = 30, rows = 400;
        const double alpha = 0.4;
        var net = TestProblems.RandomNetwork(m, r, Activation.LeakyRelu(0.1), 41, scale: 1.5);
        var x = TestProblems.RandomInputs(rows, r, 42);
        var y = TestProblems.RandomLabels(rows, 43);
        var lower = Bounds(net, x, y, alpha);
        var attacked = Attacked(net, x, y, alpha, 200, 3, 44);
        var certifier = new RobustnessCertifier<double>(TestProblems.Gemm);
        int certified = 0, certifiedOptimized = 0, flipped = 0;
        for (int i = 0; i < rows; i++)
        {
            double optimized = certifier.OptimizedLowerBound(net, x.Row(i), y[i], alpha, 50);
            Assert.That(lower[i], Is.LessThanOrEqualTo(attacked[i]), $"row {i}: plain bound above what PGD reached");
            Assert.That(optimized, Is.LessThanOrEqualTo(attacked[i]), $"row {i}: optimized bound above what PGD reached");
            Assert.That(optimized, Is.GreaterThanOrEqualTo(lower[i] - 1e-12));
            if (lower[i] > 0) certified++;
            if (optimized > 0) certifiedOptimized++;
            if (attacked[i] <= 0) flipped++;
        }
        Assert.That(certified, Is.GreaterThan(0), "the setting should certify some rows");
        Assert.That(certified + flipped, Is.LessThan(rows), "and leave some undecided, so that optimizing has work");
        Assert.That(certifiedOptimized, Is.GreaterThan(certified), "optimized slopes certify more rows");
    }

    [Test]
    public void The_bound_in_basis_coordinates_is_the_bound_in_the_ambient_space()
    {
        // Rows of W in the span of an orthonormal Q (d × R): W = U·Qᵀ. The same network in coordinates is U, an input x is Qᵀx.
        const int d = 40, rDim = 6, m = 16, rows = 20;
        const double alpha = 0.8;
        var rng = new Rng(51);
        var q = new double[d, rDim];
        for (int j = 0; j < rDim; j++)
        {
            var col = new double[d];
            for (int t = 0; t < d; t++) col[t] = rng.NextNormal();
            for (int k = 0; k < j; k++)
            {
                double dot = 0;
                for (int t = 0; t < d; t++) dot += col[t] * q[t, k];
                for (int t = 0; t < d; t++) col[t] -= dot * q[t, k];
            }
            double norm = Math.Sqrt(col.Sum(v => v * v));
            for (int t = 0; t < d; t++) q[t, j] = col[t] / norm;
        }
        var coords = TestProblems.RandomNetwork(m, rDim, Activation.LeakyRelu(0.1), 52, scale: 2);
        var ambientW = new Dense<double>(m, d);
        for (int s = 0; s < m; s++)
            for (int t = 0; t < d; t++)
                for (int j = 0; j < rDim; j++) ambientW[s, t] += coords.Weights[s, j] * q[t, j];
        var ambient = new TwoLayerNetwork<double>(ambientW, coords.Activation);
        var x = TestProblems.RandomInputs(rows, d, 53);
        var xc = new Dense<double>(rows, rDim);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < rDim; j++)
                for (int t = 0; t < d; t++) xc[i, j] += x[i, t] * q[t, j];
        var y = TestProblems.RandomLabels(rows, 54);

        var inAmbient = Bounds(ambient, x, y, alpha);
        var inBasis = Bounds(coords, xc, y, alpha);
        var certifier = new RobustnessCertifier<double>(TestProblems.Gemm);
        for (int i = 0; i < rows; i++)
        {
            Assert.That(inBasis[i], Is.EqualTo(inAmbient[i]).Within(1e-9 * (1 + Math.Abs(inAmbient[i]))), $"plain, row {i}");
            Assert.That(certifier.OptimizedLowerBound(coords, xc.Row(i), y[i], alpha, 20),
                Is.EqualTo(certifier.OptimizedLowerBound(ambient, x.Row(i), y[i], alpha, 20)).Within(1e-9 * (1 + Math.Abs(inAmbient[i]))), $"optimized, row {i}");
        }
    }

    [Test]
    public void In_single_precision_the_bound_stays_below_the_double_precision_worst_case()
    {
        const int m = 100, r = 20, rows = 200;
        const double alpha = 0.3;
        var net = TestProblems.RandomNetwork(m, r, Activation.LeakyRelu(0.1), 61, scale: 1.5);
        var x = TestProblems.RandomInputs(rows, r, 62);
        var y = TestProblems.RandomLabels(rows, 63);
        var attacked = Attacked(net, x, y, alpha, 100, 2, 64);

        // The f32 network is the f64 one rounded: bound that network, and compare with the f64 network's attacked margins
        // loosened by the rounding of the weights (‖Δw‖ ≤ 2⁻²⁴‖w‖ per row moves a margin by at most that times the input norm).
        var wf = new Dense<float>(m, r, Array.ConvertAll(net.Weights.Data, v => (float)v));
        var netF = new TwoLayerNetwork<float>(wf, net.Activation);
        var xf = Array.ConvertAll(x.Data, v => (float)v);
        var lowerF = new double[rows];
        new RobustnessCertifier<float>(TestProblems.Gemm).LowerBounds(netF, xf, rows, y, alpha, lowerF);
        var lowerD = Bounds(net, x, y, alpha);
        for (int i = 0; i < rows; i++)
        {
            Assert.That(lowerF[i], Is.EqualTo(lowerD[i]).Within(1e-3 * (1 + Math.Abs(lowerD[i]))), $"row {i}: f32 and f64 bounds agree to f32 accuracy");
            Assert.That(lowerF[i], Is.LessThanOrEqualTo(attacked[i] + 1e-5 * (1 + Math.Abs(attacked[i]))), $"row {i}");
        }
    }
}

/// <summary>End to end: a run's certificate does not depend on the exact reduction it ran in.</summary>
public class CertificationModeTests
{
    [Test]
    public void Naive_and_subspace_runs_certify_the_same_test_points()
    {
        // d = 300 > m/2 + n: the subspace basis has 40 of the 300 dimensions; both modes train the same network.
        var spec = TestProblems.Small(d: 300, mu: 3, alpha: 0.6, iterations: 25) with { EvalAttack = new PgdSettings(Steps: 20) };
        var naive = Verify.Simulation.Runs.Simulator.Run(spec with { Mode = EmbeddingMode.Naive });
        var sub = Verify.Simulation.Runs.Simulator.Run(spec with { Mode = EmbeddingMode.Subspace });
        Assert.That(sub.Mode, Is.EqualTo("subspace"));
        var a = naive.Evaluation!.Certified!;
        var b = sub.Evaluation!.Certified!;
        Assert.That(b, Is.EqualTo(a));
        Assert.That(a.Conflicts, Is.EqualTo(0));
        Assert.That(a.CertifiedPlain, Is.InRange(1, a.Total - 1), "a test with something to certify and something not");
    }
}
