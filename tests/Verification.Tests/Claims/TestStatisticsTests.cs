using CsCheck;
using MathNet.Numerics.Distributions;
using Verify.Bounds;
using Verify.Verification.Claims;
using Verify.Verification.Results;

namespace Verify.Verification.Tests.Claims;

/// <summary>The statistics behind the claims, against closed forms and a second code path.</summary>
public class TestStatisticsTests
{
    [Test]
    public void One_sided_t_test_matches_the_closed_form_with_two_degrees_of_freedom()
    {
        // Student t with 2 df: P(T ≥ t) = (1 − t/√(t² + 2))/2.
        var s = new ErrorSample(0.2, 0.03, 3, 2000);
        foreach (double threshold in new[] { 0.1, 0.15, 0.19, 0.2, 0.25 })
        {
            double t = (0.2 - threshold) / (0.03 / Math.Sqrt(3));
            Assert.That(OneSidedTest.Above(s, threshold), Is.EqualTo(0.5 * (1 - t / Math.Sqrt(t * t + 2))).Within(1e-12), $"above {threshold}");
            Assert.That(OneSidedTest.Below(s, threshold), Is.EqualTo(0.5 * (1 + t / Math.Sqrt(t * t + 2))).Within(1e-12), $"below {threshold}");
        }
    }

    [Test]
    public void Seeds_that_agree_exactly_fall_back_to_the_binomial_error_of_the_test_set()
    {
        // sd = 0: SE = √(t(1−t)/N)/√k, so 3 identical seeds 0.005 above the threshold are not significant.
        var s = new ErrorSample(0.155, 0, 3, 2000);
        double se = Math.Sqrt(0.15 * 0.85 / 2000 / 3);
        Assert.That(OneSidedTest.Above(s, 0.15), Is.EqualTo(StudentT.CDF(0, 1, 2, -(0.005 / se))).Within(1e-12));
        Assert.That(OneSidedTest.Above(s, 0.15), Is.GreaterThan(0.1));
        // One seed: the normal approximation of the binomial (score test).
        var one = new ErrorSample(0.2, 0, 1, 1000);
        Assert.That(OneSidedTest.Above(one, 0.15), Is.EqualTo(Normal.CDF(0, 1, -(0.05 / Math.Sqrt(0.15 * 0.85 / 1000)))).Within(1e-12));
    }

    [Test]
    public void A_threshold_of_zero_is_contradicted_by_any_error()
    {
        Assert.That(OneSidedTest.Above(new ErrorSample(0.001, 0, 3, 1000), 0), Is.Zero);
        Assert.That(OneSidedTest.Above(new ErrorSample(0, 0, 3, 1000), 0), Is.EqualTo(1));
    }

    [Test]
    public void Binomial_tail_matches_direct_sums()
    {
        Assert.That(OneSidedTest.BinomialUpperTail(0, 5, 0.3), Is.EqualTo(1));
        Assert.That(OneSidedTest.BinomialUpperTail(1, 3, 0.05), Is.EqualTo(1 - Math.Pow(0.95, 3)).Within(1e-15));
        Assert.That(OneSidedTest.BinomialUpperTail(2, 3, 0.05), Is.EqualTo(3 * 0.05 * 0.05 * 0.95 + Math.Pow(0.05, 3)).Within(1e-15));
        Assert.That(OneSidedTest.BinomialUpperTail(4, 3, 0.05), Is.Zero);
        Assert.That(OneSidedTest.BinomialUpperTail(7, 10, 0.5), Is.EqualTo((120 + 45 + 10 + 1) / 1024.0).Within(1e-14));
    }

    [Test]
    public void Holm_on_a_worked_example()
    {
        // Sorted 0.01, 0.02, 0.03, 0.2 → 4·0.01, 3·0.02, 2·0.03 (raised to 0.06), 1·0.2.
        var adjusted = Holm.Adjust([0.03, 0.2, 0.01, 0.02]);
        Assert.That(adjusted, Is.EqualTo(new[] { 0.06, 0.2, 0.04, 0.06 }).Within(1e-15));
    }

    [Test]
    public void Holm_adjusted_p_values_are_valid_and_keep_the_order()
    {
        Gen.Double[0, 1].Array[1, 40].Sample(p =>
        {
            var a = Holm.Adjust(p);
            for (int i = 0; i < p.Length; i++)
            {
                if (!(a[i] >= p[i] && a[i] <= 1)) return false;
                if (!(a[i] <= Math.Min(1, p.Length * p[i]) + 1e-15)) return false; // never stricter than Bonferroni
                for (int j = 0; j < p.Length; j++)
                    if (p[i] < p[j] && a[i] > a[j]) return false;
            }
            return true;
        });
    }

    [Test]
    public void An_error_bound_claim_only_weakens_as_C_grows()
    {
        // Larger C: a looser bound, so a larger p-value (contradictions can only fall).
        Gen.Select(Gen.Double[1e2, 1e7], Gen.Double[1, 30], Gen.Double[0.1, 0.5], Gen.Double[0, 0.05]).Sample((d, mu, mean, sd) =>
        {
            var claim = new ErrorBoundClaim(ClaimKind.CleanBound, "x", double.PositiveInfinity, Readiness.Testable, "",
                new ErrorSample(mean, sd, 3, 2000), new Regime(100, Math.Round(d), 1000, mu, 0, 0.1, 0.05, 1));
            double previous = 0;
            foreach (double c in CRange.Grid)
            {
                double p = claim.PValue(c);
                if (p < previous - 1e-12) return false;
                previous = p;
            }
            return true;
        });
    }

    [Test]
    public void A_loss_falling_like_one_over_t_is_still_falling_and_a_flat_one_is_not()
    {
        int[] it = Enumerable.Range(0, 101).Select(i => i * 10).ToArray();
        TrainingCurve Curve(Func<int, double> loss) => new(it, it.Select(loss).ToArray(), new double[it.Length], new double[it.Length], new double[it.Length]);
        Assert.That(TrainingProgress.StillFalling(Curve(t => 1.0 / (t + 50))), Is.True);
        Assert.That(TrainingProgress.StillFalling(Curve(t => 0.3 + 0.5 * Math.Exp(-t / 50.0))), Is.False);
        // Jitter of ±0.5% around a plateau (an inexact inner attack) is not a fall.
        Assert.That(TrainingProgress.StillFalling(Curve(t => 0.3 * (1 + 0.005 * Math.Sin(t)))), Is.False);
        // A 2% fall over the last fifth is still falling; too short a curve to tell counts as falling.
        Assert.That(TrainingProgress.StillFalling(Curve(t => t < 800 ? 0.3 : 0.3 * (1 - 0.02 * (t - 800) / 200.0))), Is.True);
        Assert.That(TrainingProgress.StillFalling(new TrainingCurve([0], [0.5], [0], [0], [0])), Is.True);
    }
}
