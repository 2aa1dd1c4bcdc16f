using CsCheck;
using Verify.Verification.Boundaries;

namespace Verify.Verification.Tests.Boundaries;

/// <summary>The bisection on a metric known in closed form: where it must end, and how it stops.</summary>
public class BoundarySearchTests
{
    /// <summary>A logistic rise in log₁₀ d from 0.1 to 0.6, crossing 0.15 at log₁₀ d = <paramref name="at"/> exactly.</summary>
    private static double Metric(double d, double at)
    {
        double center = at + Math.Log(9) / 2;   // 0.1 + 0.5·σ(2(x − c)) = 0.15 ⇔ σ = 0.1 ⇔ 2(x − c) = −ln 9
        return 0.1 + 0.5 / (1 + Math.Exp(-2 * (Math.Log10(d) - center)));
    }

    private static BoundarySearch Run(double at, double from = 1e2, double to = 1e16, double tolerance = 0.02, double halfWidth = 0, double? guess = null)
    {
        var s = new BoundarySearch(from, to, 0.15, tolerance, guess);
        int rounds = 0;
        while (s.Status == BoundaryStatus.Searching)
        {
            s.Record(s.Pending.Select(d => { double e = Metric(d, at); return new BoundaryMeasurement(d, e, e - halfWidth, e + halfWidth); }).ToList());
            Assert.That(++rounds, Is.LessThan(40), "the search must end");
        }
        return s;
    }

    [Test]
    public void Exact_measurements_find_the_crossing_within_the_tolerance()
    {
        Gen.Double[2.5, 15.5].ForAll(at =>
        {
            var s = Run(at);
            if (s.Status != BoundaryStatus.Found) throw new Exception($"status {s.Status} for a crossing at 10^{at}");
            double lo = Math.Log10(s.Low!.Value.D), hi = Math.Log10(s.High!.Value.D);
            if (!(lo <= at + 1e-9 && at <= hi + 1e-9)) throw new Exception($"bracket [{lo}, {hi}] misses {at}");
            if (hi - lo > 0.02 + 1e-9 && s.High.Value.D - s.Low.Value.D > 1) throw new Exception($"bracket width {hi - lo}");
            if (Math.Abs(Math.Log10(s.Estimate) - at) > 0.02) throw new Exception($"estimate 10^{Math.Log10(s.Estimate)} for 10^{at}");
        }, iter: 200);
    }

    [Test]
    public void Bisection_takes_about_log2_of_range_over_tolerance_rounds()
    {
        var s = Run(8.3);
        // 14 decades to 0.02: ⌈log₂(700)⌉ = 10 midpoints, after the two ends.
        Assert.That(s.Measured, Has.Count.InRange(2 + 9, 2 + 10));
    }

    [Test]
    public void A_crossing_outside_the_range_is_reported_as_such()
    {
        Assert.That(Run(1.0).Status, Is.EqualTo(BoundaryStatus.BelowRange));
        Assert.That(Run(17.0).Status, Is.EqualTo(BoundaryStatus.AboveRange));
        Assert.That(Run(17.0).Estimate, Is.NaN);
    }

    [Test]
    public void Noisy_measurements_stop_when_a_midpoint_cannot_tell_its_side()
    {
        // ±0.03 around every mean: where the metric is within 0.03 of the threshold (10^7.81 to 10^8.57) a midpoint
        // cannot tell its side. The search then narrows each side to the tolerance, and the bracket, whose ends
        // are decided, still holds the true crossing.
        var s = Run(8.3, halfWidth: 0.03);
        Assert.That(s.Status, Is.EqualTo(BoundaryStatus.Resolved));
        double lo = Math.Log10(s.Low!.Value.D), hi = Math.Log10(s.High!.Value.D);
        Assert.That(8.3, Is.InRange(lo, hi));
        Assert.That(hi - lo, Is.GreaterThan(0.02), "stopped before the tolerance");
        Assert.That(s.Crossing, Is.EqualTo((s.Low.Value.D, s.High.Value.D)));
        Assert.That(s.Undecided, Is.Not.Empty);
        Assert.That(s.Undecided.All(u => u.Low95 <= 0.15 && 0.15 <= u.High95 && u.D > s.Low.Value.D && u.D < s.High.Value.D), Is.True);
        Assert.That(Math.Abs(Metric(s.Estimate, 8.3) - 0.15), Is.LessThanOrEqualTo(0.03), "the estimate is a d whose interval contains the threshold");
        // The bracket is the undecided stretch plus at most the tolerance on each side.
        Assert.That(lo, Is.InRange(7.81 - 0.02, 7.81));
        Assert.That(hi, Is.InRange(8.57, 8.57 + 0.02));
    }

    [Test]
    public void A_resolved_crossing_follows_the_measurements_not_the_guess()
    {
        // The first midpoint is the guess itself (10^8.5, where the metric is 0.171): undecided at ±0.04, as are the
        // points near it, but the crossing comes from the measured means, not from where they were measured.
        var s = Run(8.3, guess: Math.Pow(10, 8.5), halfWidth: 0.04);
        Assert.That(s.Status, Is.EqualTo(BoundaryStatus.Resolved));
        Assert.That(s.Undecided.Any(u => Math.Abs(u.D - Math.Pow(10, 8.5)) < 10), Is.True, "the guess was measured and left undecided");
        Assert.That(Math.Abs(Math.Log10(s.Estimate) - 8.3), Is.LessThan(Math.Abs(8.5 - 8.3)));
        Assert.That(8.3, Is.InRange(Math.Log10(s.Crossing.Low), Math.Log10(s.Crossing.High)));
    }

    [Test]
    public void Integer_d_ends_the_search_when_the_midpoint_rounds_to_an_end()
    {
        var s = Run(Math.Log10(3.4), from: 1, to: 10, tolerance: 1e-6);
        Assert.That(s.Status, Is.EqualTo(BoundaryStatus.Found));
        Assert.That((s.Low!.Value.D, s.High!.Value.D), Is.EqualTo((3.0, 4.0)));
    }

    [Test]
    public void A_guess_anywhere_brackets_outwards_and_finds_the_same_crossing()
    {
        Gen.Select(Gen.Double[2.5, 15.5], Gen.Double[-6, 6]).ForAll((at, off) =>
        {
            var s = Run(at, guess: Math.Pow(10, at + off));
            if (s.Status != BoundaryStatus.Found) throw new Exception($"status {s.Status} for a crossing at 10^{at}, guess 10^{at + off}");
            if (Math.Abs(Math.Log10(s.Estimate) - at) > 0.02) throw new Exception($"estimate 10^{Math.Log10(s.Estimate)} for 10^{at}");
            if (s.Measured.Any(m => m.D < 1e2 || m.D > 1e16)) throw new Exception("measured outside the range");
        }, iter: 200);
    }

    [Test]
    public void A_good_guess_saves_measurements()
    {
        // ±1 decade around a guess 0.3 decades off: 2 + ⌈log₂(2/0.02)⌉ = 9 at most, against 12 from the whole range.
        var guessed = Run(8.3, guess: Math.Pow(10, 8.6));
        Assert.That(guessed.Status, Is.EqualTo(BoundaryStatus.Found));
        Assert.That(guessed.Measured, Has.Count.LessThanOrEqualTo(9));
        Assert.That(guessed.Measured.Count, Is.LessThan(Run(8.3).Measured.Count));
    }

    [Test]
    public void A_guess_beyond_the_range_ends_at_the_range()
    {
        Assert.That(Run(1.0, guess: 1e3).Status, Is.EqualTo(BoundaryStatus.BelowRange));
        Assert.That(Run(17.0, guess: 1e14).Status, Is.EqualTo(BoundaryStatus.AboveRange));
        Assert.That(Run(17.0, guess: 1e20).Status, Is.EqualTo(BoundaryStatus.AboveRange));
    }

    [Test]
    public void A_first_pair_that_falls_with_d_is_reported_not_bisected()
    {
        var s = new BoundarySearch(100, 1e6, 0.15, 0.1);
        s.Record([new BoundaryMeasurement(100, 0.3, 0.25, 0.35), new BoundaryMeasurement(1e6, 0.1, 0.05, 0.12)]);
        Assert.That(s.Status, Is.EqualTo(BoundaryStatus.NotMonotone));
        Assert.That(s.Pending, Is.Empty);
    }

    [Test]
    public void Bracket_ends_are_decided_even_when_the_first_pair_is_not()
    {
        // The guess's lower end (10^7.5, metric 0.111) is within the noise of the threshold at ±0.04: it is kept as undecided
        // and the search steps further down until a measurement is decided below, so both ends of the final bracket are decided.
        var s = Run(8.3, guess: Math.Pow(10, 8.5), halfWidth: 0.04);
        Assert.That(s.Low!.Value.High95, Is.LessThan(0.15));
        Assert.That(s.High!.Value.Low95, Is.GreaterThan(0.15));
        Assert.That(s.Measured.Any(m => m.D < Math.Pow(10, 7.5) - 1), Is.True, "stepped below the first bracket");
    }

    [Test]
    public void Noise_that_hides_one_side_everywhere_leaves_no_bracket()
    {
        // Floor 0.1 ± 0.05 cannot be told from 0.15 anywhere below the crossing: no decided lower end exists in the range.
        Assert.That(Run(8.3, halfWidth: 0.05).Status, Is.EqualTo(BoundaryStatus.BelowRange));
    }

    [Test]
    public void Measurements_must_cover_what_was_asked()
    {
        var s = new BoundarySearch(100, 1e6, 0.15, 0.1);
        Assert.Throws<ArgumentException>(() => s.Record([new BoundaryMeasurement(100, 0.1, 0.1, 0.1)]));
        Assert.Throws<ArgumentException>(() => new BoundarySearch(1e6, 100, 0.15, 0.1));
    }
}
