using Verify.Bounds.Assumptions;
using Verify.Bounds.Heuristic;
using Verify.Bounds.Inverse;
using Verify.Bounds.Theorems;

namespace Verify.Bounds.Tests;

public class InverseQueryTests
{
    [Test]
    public void MinD_is_the_smallest_whole_dimension_satisfying_A2()
    {
        foreach (var c in new[] { 0.3, 1, 7.5 })
            foreach (var alpha in new[] { 0.0, 1, 3 })
            {
                var r = Regime.Default with { C = c, Alpha = alpha };
                double d = InverseQueries.MinDimension(r);
                Assert.That(TheoremAssumptions.A2(r with { D = d }).Holds, $"A2 at minD, C={c}, α={alpha}");
                Assert.That(TheoremAssumptions.A2(r with { D = d - 1 }).Holds, Is.False, $"A2 at minD−1, C={c}, α={alpha}");
            }
    }

    [Test]
    public void MaxAlpha_satisfies_R_and_A2_and_nothing_above_it_does()
    {
        foreach (var d in new[] { 1e5, 1e6, 1e8 })
        {
            var r = Regime.Default with { D = d };
            double a = InverseQueries.MaxAlpha(r)!.Value;
            var at = r with { Alpha = a * (1 - 1e-12) };
            Assert.That(TheoremAssumptions.R(at).Holds && TheoremAssumptions.A2(at).Holds, $"d = {d}");
            var above = r with { Alpha = a * (1 + 1e-9) };
            Assert.That(TheoremAssumptions.R(above).Holds && TheoremAssumptions.A2(above).Holds, Is.False, $"d = {d}");
        }
    }

    [Test]
    public void MaxAlpha_is_absent_when_A2_fails_at_alpha_zero()
    {
        Assert.That(InverseQueries.MaxAlpha(Regime.Default with { D = 1000 }), Is.Null);
    }

    [Test]
    public void MaxBeta_is_the_edge_of_A4()
    {
        var r = Regime.Default with { C = 4 };
        Assert.That(InverseQueries.MaxBeta(r), Is.EqualTo(0.25));
        Assert.That(TheoremAssumptions.A4(r with { Beta = 0.25 }).Holds);
        Assert.That(TheoremAssumptions.A4(r with { Beta = 0.2500001 }).Holds, Is.False);
    }

    [Test]
    public void MaxD_for_clean_excess_gives_exactly_beta_plus_epsilon()
    {
        var r = Regime.Default;
        double d = InverseQueries.MaxDimensionForCleanExcess(r, 0.01);
        Close.Rel(Theorem31.CleanBound(r with { D = Math.Round(d) }).Value!.Value - r.Beta, 0.01, 1e-5, "excess at d");
        Assert.That(double.IsPositiveInfinity(InverseQueries.MaxDimensionForCleanExcess(r, 2)));
    }

    [Test]
    public void Heuristic_boundaries_put_the_prediction_at_beta_plus_epsilon()
    {
        const int n = 100; const double beta = 0.1, eps = 0.05;
        foreach (double mu in new[] { 2.0, 5, 20 })
        {
            double dc = InverseQueries.HeuristicCleanBoundary(n, mu, beta, eps)!.Value;
            double s = LinearizedInterpolator.Margin(n, dc, mu, beta);
            Close.Rel(LinearizedInterpolator.NoisyClean(s, beta), beta + eps, 1e-10, $"clean at boundary, M={mu}");

            double dr = InverseQueries.HeuristicRobustBoundary(n, mu, 0.1, beta, eps)!.Value;
            double sr = LinearizedInterpolator.Margin(n, dr, mu, beta);
            Close.Rel(LinearizedInterpolator.NoisyRobust(sr, 0.1 * mu, beta), beta + eps, 1e-10, $"robust at boundary, M={mu}");
        }
    }

    [Test]
    public void Heuristic_boundaries_have_slopes_four_and_two_for_large_M()
    {
        const int n = 100; const double beta = 0.1, eps = 0.05;
        double Slope(Func<double, double> dOfM, double m) => Math.Log(dOfM(2 * m) / dOfM(m)) / Math.Log(2);
        double clean = Slope(m => InverseQueries.HeuristicCleanBoundary(n, m, beta, eps)!.Value, 200);
        double robust = Slope(m => InverseQueries.HeuristicRobustBoundary(n, m, 0.01, beta, eps)!.Value, 1e5);
        Assert.That(clean, Is.EqualTo(4).Within(1e-3));
        // At fixed α/M, α = r·M grows with M; s* ≈ α + O(1), so d ∝ M⁴/α² ∝ M² once r·M ≫ 1 (slope 2 + O(1/(r·M))).
        Assert.That(robust, Is.EqualTo(2).Within(0.01));
    }

    [Test]
    public void Unreachable_and_always_met_boundaries()
    {
        // M below the needed margin: no d gives the target.
        Assert.That(InverseQueries.HeuristicCleanBoundary(100, 0.5, 0.1, 0.01), Is.Null);
        // ε so large that even s = 0 (error 1/2) qualifies.
        Assert.That(double.IsPositiveInfinity(InverseQueries.HeuristicCleanBoundary(100, 1, 0.1, 0.45)!.Value));
        Assert.Throws<InvalidInputException>(() => InverseQueries.HeuristicCleanBoundary(100, 1, 0.1, 0));
    }

    [Test]
    public void Analysis_binds_to_the_smallest_CStar()
    {
        var a = RegimeAnalysis.Of(Regime.Default);
        Assert.That(a.Binding.Id, Is.EqualTo("A2"));
        Close.Rel(a.CStar, 1.1626686905285990769, 1e-14);
        Assert.That(a.AllHold);
        Assert.That(RegimeAnalysis.Of(Regime.Default with { C = 1.2 }).AllHold, Is.False);
    }
}
