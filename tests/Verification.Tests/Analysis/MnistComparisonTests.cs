using Verify.Bounds.Heuristic;
using Verify.Verification.Analysis;
using Verify.Verification.Tests.Claims;

namespace Verify.Verification.Tests.Analysis;

/// <summary>
/// MNIST against the Gaussian HEURISTIC curve: hand-made cells measure the curve plus a chosen offset, so the
/// gaps and their paired difference are known in advance (up to the 1/2000 rounding of a test error).
/// </summary>
public class MnistComparisonTests
{
    private const double Rounding = 1.0 / HandMadeCells.TestSize;
    private static readonly double[] Fractions = [0, 0.25, 0.5, 1];

    /// <summary>Cells at α = fraction·M̂ whose errors are the HEURISTIC at M̂ (σ̂ = 1) plus <paramref name="offset"/>.</summary>
    private static IEnumerable<CellRuns> Sweep(string normalization, double muHat, double beta, double offset, int resolution = 14, double[]? fractions = null)
    {
        foreach (double f in fractions ?? Fractions)
        {
            double alpha = f * muHat;
            var h = LinearizedInterpolator.Predict(100, resolution * resolution, muHat, alpha, beta);
            var runs = HandMadeCells.Seeds(h.Clean + offset, h.Robust + offset, spread: 0);
            yield return HandMadeCells.Mnist($"{normalization}/{beta}/{resolution}/{f}", resolution, alpha, muHat, normalization, beta, runs);
        }
    }

    [Test]
    public void Gaps_are_the_measured_distance_from_the_curve_and_pairs_say_which_normalization_is_closer()
    {
        var s = HandMadeCells.Summarize(1,
            [.. Sweep("unit-norm", 0.4, 0, 0.10), .. Sweep("standardize-pool", 5, 0, 0.02), .. Sweep("unit-norm", 0.4, 0.1, 0.05), .. Sweep("standardize-pool", 5, 0.1, 0.05)]);
        var m = s.Mnist;
        Assert.That(m.Groups.Select(g => (g.Normalization, g.Beta)), Is.EqualTo(new[] { ("unit-norm", 0.0), ("unit-norm", 0.1), ("standardize-pool", 0.0), ("standardize-pool", 0.1) }));
        var unit0 = m.Groups[0];
        Assert.That(unit0.Cells, Is.EqualTo(4));
        Assert.That(unit0.RobustGap, Is.EqualTo(0.10).Within(Rounding));
        Assert.That(unit0.CleanGap, Is.EqualTo(0.10).Within(Rounding));
        Assert.That(unit0.MuInNoiseUnitsLow, Is.EqualTo(0.4).Within(1e-12));
        Assert.That(m.Groups[2].RobustGap, Is.EqualTo(0.02).Within(Rounding));

        var at0 = m.Paired.Single(p => p.Beta == 0);
        Assert.That((at0.Reference, at0.Other, at0.Pairs), Is.EqualTo(("unit-norm", "standardize-pool", 4)));
        Assert.That(at0.Difference, Is.EqualTo(-0.08).Within(2 * Rounding));
        Assert.That(at0.Significant, Is.True);
        Assert.That(s.Headlines.Any(h => h.Contains("At β = 0, standardize-pool brings MNIST closer to the curve than unit-norm does")), Is.True, string.Join("\n", s.Headlines));

        var at01 = m.Paired.Single(p => p.Beta == 0.1);
        Assert.That(at01.Difference, Is.EqualTo(0).Within(2 * Rounding), "equal offsets: equal gaps");
    }

    [Test]
    public void Cells_whose_budgets_are_not_the_same_fraction_of_M_hat_are_not_paired()
    {
        // Same count of α, but the second sweep's α/M̂ are twice the first's beyond α = 0.
        var s = HandMadeCells.Summarize(1, [.. Sweep("unit-norm", 0.4, 0, 0.1), .. Sweep("standardize-pool", 5, 0, 0.1, fractions: [0, 0.5, 1, 2])]);
        Assert.That(s.Mnist.Paired.Single().Pairs, Is.EqualTo(1), "only α = 0 pairs");
    }

    [Test]
    public void Without_MNIST_cells_there_is_nothing_to_compare()
    {
        var s = HandMadeCells.Summarize(1, HandMadeCells.Gaussian("g", 1000, 5, 0.5, HandMadeCells.Seeds(0.1, 0.2)));
        Assert.That(s.Mnist.Groups, Is.Empty);
        Assert.That(s.Headlines.Any(h => h.StartsWith("MNIST against")), Is.False);
    }
}
