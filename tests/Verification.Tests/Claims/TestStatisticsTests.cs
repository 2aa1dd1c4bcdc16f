using CsCheck;
using Verify.Bounds;
using Verify.Verification.Claims;
using Verify.Verification.Results;

namespace Verify.Verification.Tests.Claims;

/// <summary>The exact tests behind the claims, against direct summation of the binomial mass function and closed forms.</summary>
public class TestStatisticsTests
{
    [Test]
    public void Exact_tails_match_direct_sums()
    {
        foreach (var (n, p) in new[] { (3, 0.055), (10, 0.5), (500, 0.1), (2000, 0.10009), (2000, 0.5), (2000, 0.95) })
            foreach (int k in new[] { 0, 1, 2, 3, n / 20, n / 10, n / 2, n - 1, n }.Where(k => k >= 0 && k <= n).Distinct())
            {
                double up = Binomial.Upper(k, n, p), lo = Binomial.Lower(k, n, p);
                // Relative to the tail itself down to 1e-300: the tails are compared with a₀/F, never with absolute 1e-12.
                Assert.That(RunTest.UpperTail(k, n, p), Is.EqualTo(up).Within(1e-9 * up + 1e-300), $"P(Bin({n}, {p}) ≥ {k})");
                Assert.That(RunTest.LowerTail(k, n, p), Is.EqualTo(lo).Within(1e-9 * lo + 1e-300), $"P(Bin({n}, {p}) ≤ {k})");
            }
        Assert.That(RunTest.UpperTail(0, 5, 0.3), Is.EqualTo(1));
        Assert.That(RunTest.UpperTail(4, 3, 0.05), Is.Zero);
        Assert.That(RunTest.UpperTail(1, 3, 0.05), Is.EqualTo(1 - Math.Pow(0.95, 3)).Within(1e-15));
        Assert.That(RunTest.UpperTail(7, 10, 0.5), Is.EqualTo((120 + 45 + 10 + 1) / 1024.0).Within(1e-14));
        Assert.That(RunTest.LowerTail(-1, 5, 0.3), Is.Zero);
        Assert.That(RunTest.LowerTail(5, 5, 0.3), Is.EqualTo(1));
    }

    [Test]
    [Category(Categories.Slow)]
    public void A_run_is_beyond_exactly_from_the_critical_count_and_the_needed_excess_says_where()
    {
        foreach (var (n, b) in new[] { (500, 0.1), (500, 0.5), (2000, 0.10009), (2000, 0.3), (100, 0.02), (3, 0.1), (3, 0.2) })
        {
            int above = Binomial.CriticalAbove(n, b, RunTest.RunLevel);
            double needAbove = RunTest.NeededExcess(n, b, Side.Above);
            if (above > n) Assert.That(needAbove, Is.EqualTo(double.PositiveInfinity), $"{n}, {b}: no count is far enough above");
            else
            {
                Assert.That(needAbove, Is.EqualTo((double)above / n - b).Within(1e-12), $"{n}, {b}");
                Assert.That(RunTest.Beyond(new RunCount(above, n), b, Side.Above), Is.True);
                Assert.That(RunTest.Beyond(new RunCount(above - 1, n), b, Side.Above), Is.False);
            }
            int below = Binomial.CriticalBelow(n, b, RunTest.RunLevel);
            double needBelow = RunTest.NeededExcess(n, b, Side.Below);
            if (below < 0) Assert.That(needBelow, Is.EqualTo(double.PositiveInfinity), $"{n}, {b}: no count is far enough below");
            else
            {
                Assert.That(needBelow, Is.EqualTo(b - (double)below / n).Within(1e-12), $"{n}, {b}");
                Assert.That(RunTest.Beyond(new RunCount(below, n), b, Side.Below), Is.True);
                Assert.That(RunTest.Beyond(new RunCount(below + 1, n), b, Side.Below), Is.False);
            }
        }
    }

    [Test]
    public void Runs_needed_is_the_smallest_count_whose_tail_reaches_the_level()
    {
        // Bin(3, 0.055): P(≥ 3) = 1.66e-4, P(≥ 2) = 0.00874, P(≥ 1) = 0.156.
        Assert.That(RunTest.RunsNeeded(3, 0.055, 0.05), Is.EqualTo(2));
        Assert.That(RunTest.RunsNeeded(3, 0.055, 0.05 / 6), Is.EqualTo(3));
        Assert.That(RunTest.RunsNeeded(3, 0.055, 0.05 / 400), Is.Null, "more than 300 claims: three runs can never be enough");
        Assert.That(RunTest.RunsNeeded(2, 0.055, 0.05 / 76), Is.Null, "two runs in a family of 76 (the old smoke job): a check that cannot fail");
        Gen.Select(Gen.Int[1, 30], Gen.Double[0.001, 0.5], Gen.Double[1e-6, 0.2]).ForAll((k, pi, level) =>
        {
            var x = RunTest.RunsNeeded(k, pi, level);
            if (x is null) return Binomial.Upper(k, k, pi) > level * (1 - 1e-9);
            return Binomial.Upper(x.Value, k, pi) <= level * (1 + 1e-9) && (x == 1 || Binomial.Upper(x.Value - 1, k, pi) > level * (1 - 1e-9));
        });
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
        Gen.Double[0, 1].Array[1, 40].ForAll(p =>
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
        // Larger C: a looser bound, so fewer runs beyond and a larger p-value (contradictions can only fall), until it turns vacuous.
        Gen.Select(Gen.Double[1e2, 1e7], Gen.Double[1, 30], Gen.Int[0, 2000].Array[1, 5]).ForAll((d, mu, errors) =>
        {
            var runs = new RunErrors(errors.Select(e => new RunCount(e, 2000)).ToList());
            var claim = new ErrorBoundClaim(ClaimKind.CleanBound, "x", double.PositiveInfinity, Readiness.Reached, "", runs,
                new Regime(100, Math.Round(d), 1000, mu, 0, 0.1, 0.05, 1));
            double previous = 0;
            bool vacuous = false;
            foreach (double c in CRange.Grid)
            {
                if (claim.VacuousAt(c)) { vacuous = true; continue; }
                if (vacuous) return false; // vacuous stays vacuous
                double p = claim.EvidenceAt(c).PValue;
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
