using Verify.Simulation.Settings;
using Verify.Simulation.Attack;
using Verify.Simulation.Certification;
using Verify.Simulation.Embedding;
using Verify.Simulation.Evaluation;
using Verify.Simulation.Kernels;
using Verify.Simulation.Model;
using Verify.Simulation.Randomness;
using Verify.Simulation.Runs;

namespace Verify.Simulation.Tests.Certification;

/// <summary>
/// The evaluator certifies every training point (noisy training labels, the evaluation attack's α) as it certifies
/// test points: the same counts on the same points, sound against a strong attack, exact on linear networks, the
/// margin itself at α = 0, and a run at an easy cell is certified to interpolate.
/// All products run on the managed kernel, whose results do not depend on row blocking or threads, so that counts
/// compared point for point cannot differ by a rounding.
/// </summary>
public class TrainingCertificationTests
{
    private static readonly IGemm Gemm = ManagedGemm.Instance;

    /// <summary>A problem in standard coordinates (R = d) with the given training and test points; the clean labels are the labels.</summary>
    private static CoordinateProblem<double> Problem(Dense<double> trainX, sbyte[] trainY, Dense<double> testX, sbyte[] testY)
        => new(EmbeddingMode.Naive, trainX.Cols, trainX.Cols, trainX, trainY, trainY, new Dense<double>(1, trainX.Cols), testX, testY, testY, "test");

    private static EvaluationResult Evaluate(TwoLayerNetwork<double> net, CoordinateProblem<double> problem, double alpha, PgdSettings attack, int certifySteps)
        => new Evaluator<double>(Gemm).Evaluate(net, problem, new ThreatModel(alpha, attack, problem.R), new Rng(17), out _, certifySteps: certifySteps);

    private static double[] StronglyAttacked(TwoLayerNetwork<double> net, Dense<double> x, sbyte[] y, double alpha, ulong seed)
    {
        var found = new AttackResult<double>(x.Rows, x.Cols);
        new Pgd<double>(new MarginKernel<double>(Gemm)).Attack(net, x.Data, x.Rows, y,
            new ThreatModel(alpha, new PgdSettings(200, Restarts: 3), AmbientDimension: x.Cols), new Rng(seed), found);
        return found.Margins.ToArray();
    }

    private static double[] Margins(TwoLayerNetwork<double> net, Dense<double> x, sbyte[] y)
    {
        var q = new double[x.Rows];
        new MarginKernel<double>(Gemm).Margins(net, x.Data, x.Rows, y, q, []);
        return q;
    }

    private static double[] LinearWeights(TwoLayerNetwork<double> net)
    {
        var v = new double[net.Dim];
        for (int s = 0; s < net.Width; s++)
            for (int j = 0; j < net.Dim; j++) v[j] += net.OutputSign(s) * net.Weights[s, j] / Math.Sqrt(net.Width);
        return v;
    }

    [Test]
    public void Training_points_get_the_certificate_the_same_points_get_as_test_points()
    {
        // 300 points: more than one chunk of 256, so the training set is certified in chunks as the test set is.
        const int m = 60, r = 12, rows = 300;
        var net = TestProblems.RandomNetwork(m, r, Activation.LeakyRelu(0.1), 71, scale: 1.5);
        var x = TestProblems.RandomInputs(rows, r, 72);
        var y = TestProblems.RandomLabels(rows, 73);
        // A deterministic attack (from zero, one run), so that the training and the test attack flip the same points.
        var e = Evaluate(net, Problem(x, y, x, y), 0.4, new PgdSettings(30), 20);
        var train = e.CertifiedTrain!;
        Assert.That(train, Is.EqualTo(e.Certified), "same points, same labels, same attack: same counts");
        Assert.That(train.Total, Is.EqualTo(rows));
        Assert.That(train.Attacked, Is.EqualTo(e.RobustTrain.Errors), "the lower end is the robust training error");
        Assert.That(train.Upper.Errors, Is.EqualTo(rows - train.Certified));
        Assert.That(train.Certified, Is.GreaterThan(train.CertifiedPlain), "the setting leaves the optimized slopes work to do");
        Assert.That(train.Undecided, Is.GreaterThan(0).And.LessThan(rows - train.Attacked));
    }

    [TestCase(81UL, 0.3)]
    [TestCase(91UL, 0.6)]
    [TestCase(101UL, 0.9)]
    public void No_certified_training_point_is_flipped_by_a_strong_attack(ulong seed, double alpha)
    {
        const int m = 80, r = 16, n = 200;
        const int steps = 20;
        var net = TestProblems.RandomNetwork(m, r, Activation.LeakyRelu(0.1), seed, scale: 1.5);
        var x = TestProblems.RandomInputs(n, r, seed + 1);
        var y = TestProblems.RandomLabels(n, seed + 2);
        var e = Evaluate(net, Problem(x, y, TestProblems.RandomInputs(4, r, seed + 3), TestProblems.RandomLabels(4, seed + 4)), alpha,
            new PgdSettings(20), steps);
        var c = e.CertifiedTrain!;

        // The points the evaluator certified, recomputed one by one: the plain bound, or the optimized one for a point the attack left.
        var certifier = new RobustnessCertifier<double>(Gemm);
        var plain = new double[n];
        certifier.LowerBounds(net, x.Data, n, y, alpha, plain);
        var evalAttack = new AttackResult<double>(n, r);
        new Pgd<double>(new MarginKernel<double>(Gemm)).Attack(net, x.Data, n, y, new ThreatModel(alpha, new PgdSettings(20), r), new Rng(1), evalAttack);
        var strong = StronglyAttacked(net, x, y, alpha, seed + 5);
        int certified = 0, flipped = 0;
        for (int i = 0; i < n; i++)
        {
            bool isCertified = plain[i] > 0 || (evalAttack.Margins[i] > 0 && certifier.OptimizedLowerBound(net, x.Row(i), y[i], alpha, steps) > 0);
            if (strong[i] <= 0) flipped++;
            if (!isCertified) continue;
            certified++;
            Assert.That(strong[i], Is.GreaterThan(0), $"training point {i} is certified robust, yet PGD-200 with 3 runs flips it (margin {strong[i]})");
        }
        Assert.That(c.Certified, Is.EqualTo(certified), "the evaluator certifies exactly the points the certifier proves");
        Assert.That(c.Conflicts, Is.EqualTo(0));
        Assert.That(c.Attacked, Is.EqualTo(e.RobustTrain.Errors));
        Assert.That(c.Certified + flipped, Is.LessThanOrEqualTo(n), "the bracket contains what the strong attack finds");
        Assert.That(certified, Is.InRange(1, n - 1), "a setting with something to certify and something not");
    }

    [TestCase(0.3)]
    [TestCase(1.5)]
    public void On_a_linear_network_the_training_certificate_is_the_exact_worst_case_margin(double alpha)
    {
        // Identity, and leaky ReLU with γ = 1 (every neuron stable): y·⟨v, x + δ⟩ is worst at δ* = −α·y·v/‖v‖, margin y⟨v, x⟩ − α‖v‖.
        const int m = 30, r = 10, n = 120;
        foreach (var act in new[] { Activation.Identity, Activation.LeakyRelu(1) })
        {
            var net = TestProblems.RandomNetwork(m, r, act, 111, scale: 2);
            var x = TestProblems.RandomInputs(n, r, 112);
            var y = TestProblems.RandomLabels(n, 113);
            var v = LinearWeights(net);
            var exact = Enumerable.Range(0, n).Select(i => LinearAttack.RobustMargin(v, x.Row(i), y[i], alpha)).ToArray();
            // Away from 0 by far more than any rounding, so that the counts below are decided by the closed form alone.
            Assert.That(exact.Min(Math.Abs), Is.GreaterThan(1e-6), "precondition: no worst-case margin at the threshold");
            int robust = exact.Count(q => q > 0);
            Assert.That(robust, Is.InRange(1, n - 1), "precondition: some points robust and some not");

            foreach (int steps in new[] { 0, 20 })
            {
                var c = Evaluate(net, Problem(x, y, TestProblems.RandomInputs(3, r, 114), TestProblems.RandomLabels(3, 115)), alpha, new PgdSettings(20), steps).CertifiedTrain!;
                Assert.That(c.CertifiedPlain, Is.EqualTo(robust), $"{act}, {steps} steps: the plain bound is exact");
                Assert.That(c.Certified, Is.EqualTo(robust));
                Assert.That(c.Attacked, Is.EqualTo(n - robust), "PGD finds the exact worst case on a linear model");
                Assert.That(c.Undecided, Is.EqualTo(0), "the bracket is closed: the robust training error is known");
                Assert.That(c.Conflicts, Is.EqualTo(0));
            }
        }
    }

    [Test]
    public void At_zero_budget_the_training_certificate_is_the_sign_of_the_margin()
    {
        const int m = 40, r = 8, n = 150;
        var net = TestProblems.RandomNetwork(m, r, Activation.LeakyRelu(0.1), 121, scale: 2);
        var x = TestProblems.RandomInputs(n, r, 122);
        var y = TestProblems.RandomLabels(n, 123);
        var q = Margins(net, x, y);
        Assert.That(q.Min(Math.Abs), Is.GreaterThan(1e-8), "precondition: no margin within the rounding allowance (≈ 1e-14 here) of 0");
        int positive = q.Count(v => v > 0);
        Assert.That(positive, Is.InRange(1, n - 1));
        // No attack is needed at α = 0: with none at all (0 steps) and with the usual one, the certificate is the margin's sign.
        foreach (var attack in new[] { new PgdSettings(0), new PgdSettings(20) })
        {
            var e = Evaluate(net, Problem(x, y, TestProblems.RandomInputs(3, r, 124), TestProblems.RandomLabels(3, 125)), 0, attack, 20);
            var c = e.CertifiedTrain!;
            Assert.That(c.CertifiedPlain, Is.EqualTo(positive), $"{attack}");
            Assert.That(c.Certified, Is.EqualTo(positive));
            Assert.That(c.Attacked, Is.EqualTo(n - positive));
            Assert.That(e.CleanTrain.Errors, Is.EqualTo(n - positive));
            Assert.That(c.Undecided, Is.EqualTo(0));
            Assert.That(c.Conflicts, Is.EqualTo(0));
        }
    }

    [Test]
    public void A_run_at_an_easy_cell_is_certified_to_interpolate()
    {
        // d = 1000, M = 5, α = 0.5 (the reference cell's signal and budget) with n = 20, m = 40: interpolation is quick there.
        var spec = TestProblems.Small(d: 1000, mu: 5, alpha: 0.5, n: 20, width: 40, iterations: 30);
        var run = Simulator.Run(spec, gemm: Gemm);
        var c = run.Evaluation!.CertifiedTrain!;
        Assert.That(run.Interpolates, Is.True, "the attack flips no training point");
        Assert.That(run.CertifiedInterpolates, Is.True, "and every training point is proved robust");
        Assert.That(c.Total, Is.EqualTo(20));
        Assert.That((c.Attacked, c.Certified, c.Undecided, c.Conflicts), Is.EqualTo((0, 20, 0, 0)));
        Assert.That(run.Evaluation.Certified!.Total, Is.EqualTo(50), "test points are certified beside them");
    }

    [Test]
    public void A_run_stopped_early_is_not_certified_to_interpolate_and_its_bracket_is_ordered()
    {
        // d = 20 ≪ n·M²: the noisy labels cannot all be fitted robustly at α = 1.
        var run = Simulator.Run(TestProblems.Small(d: 20, mu: 3, alpha: 1, n: 40, width: 40, iterations: 30), gemm: Gemm);
        var e = run.Evaluation!;
        var c = e.CertifiedTrain!;
        Assert.That(run.Interpolates, Is.False);
        Assert.That(run.CertifiedInterpolates, Is.False);
        Assert.That(c.Conflicts, Is.EqualTo(0));
        Assert.That(e.RobustTrain.Errors, Is.LessThanOrEqualTo(c.Upper.Errors), "attacked ≤ not certified");
        Assert.That(c.Upper.Errors - e.RobustTrain.Errors, Is.EqualTo(c.Undecided));
    }
}
