using Verify.Bounds.Gaussian;
using Verify.Verification.Analysis;
using Verify.Verification.Claims;
using static Verify.Verification.Tests.Claims.HandMadeCells;

namespace Verify.Verification.Tests.Claims;

/// <summary>
/// The rules by which a report's claims are decided, on cells made by hand. Reference cell: n = 100,
/// M = 10, d = 10⁵, α = 1, β = 0.1, δ = 0.05: A1–A4 hold for C ≤ d/(n²·(ln(n/δ) + α²)) = 1.1626, R for
/// C ≤ M·√(n·M²/d)/α = 3.162; the clean bound at C = 1 is β + 2·e⁻¹⁰ = 0.10009, tested as
/// b + δ·(1 − b) = 0.14509.
/// </summary>
public class ClaimRuleTests
{
    private const double RefD = 1e5, RefMu = 10, RefAlpha = 1;
    private static readonly double RefCleanCStar = RefD / (100.0 * 100 * (Math.Log(100 / 0.05) + RefAlpha * RefAlpha));

    private static ClaimResult Claim(ExperimentSummary s, string cell, ClaimKind kind)
        => s.Cells.Single(c => c.Key == cell).Claims.Single(c => c.Claim == kind);

    [Test]
    public void Reference_cell_scopes_and_threshold_match_the_closed_forms()
    {
        var s = Summarize(1, Gaussian("ref", RefD, RefMu, RefAlpha, Seeds(0.11, 0.12)));
        var clean = Claim(s, "ref", ClaimKind.CleanBound);
        Assert.That(clean.CStar, Is.EqualTo(RefCleanCStar).Within(1e-12).Percent);
        Assert.That(Claim(s, "ref", ClaimKind.RobustBound).CStar, Is.EqualTo(RefCleanCStar).Within(1e-12).Percent, "robust: min(A1–A4, R) and R's 3.16 is looser");
        double b = 0.1 + 2 * Math.Exp(-10);
        Assert.That(clean.Bound, Is.EqualTo(b).Within(1e-14));
        Assert.That(clean.Threshold, Is.EqualTo(b + 0.05 * (1 - b)).Within(1e-14));
        Assert.That(clean.Outcome, Is.EqualTo(ClaimOutcome.Upheld));
    }

    [Test]
    public void A_cell_outside_the_hypotheses_never_counts_whatever_it_measures()
    {
        // d = 1000: A2 holds only for C ≤ 1000/(n²·ln(n/δ)) ≈ 0.0132. Errors of 0.45 and runs stuck short of interpolation.
        var stuck = Enumerable.Repeat(new Run(0.45, 0.45, Interpolates: false, Curve: Loss.Flat), 3).ToArray();
        var s = Summarize(1, Gaussian("small-d", 1000, RefMu, 0, stuck), Gaussian("ref", RefD, RefMu, RefAlpha, Seeds(0.11, 0.12)));
        foreach (var c in s.Cells.Single(c => c.Key == "small-d").Claims)
        {
            Assert.That(c.Outcome, Is.EqualTo(ClaimOutcome.OutsideHypotheses), c.Claim.ToString());
            Assert.That(c.PValue, Is.Null, "not tested, so not in the Holm family either");
        }
        Assert.That(s.Claims.ContradictedAtC, Is.Zero);
        Assert.That(s.Claims.InScopeAtC, Is.EqualTo(3), "the reference cell's interpolation, clean and robust claims only");
        Assert.That(s.Headlines[1], Does.StartWith("At the tables' C = 1: 3 claims in scope, 0 contradicted"));
    }

    [Test]
    public void An_interval_straddling_the_threshold_is_not_a_contradiction()
    {
        // Mean 0.147 just above the threshold 0.14509, spread 0.015: the seeds' interval straddles it.
        var s = Summarize(1, Gaussian("ref", RefD, RefMu, RefAlpha, Seeds(0.147, 0.12, spread: 0.015)));
        var clean = Claim(s, "ref", ClaimKind.CleanBound);
        Assert.That(clean.Measured, Is.GreaterThan(clean.Threshold!.Value), "the mean alone would call it a failure");
        Assert.That(s.Cells[0].CleanTest.Low95, Is.LessThan(clean.Threshold!.Value));
        Assert.That(clean.PValue, Is.GreaterThan(0.3));
        Assert.That(clean.Outcome, Is.EqualTo(ClaimOutcome.Upheld));
    }

    [Test]
    public void A_measurement_far_beyond_the_bound_is_contradicted()
    {
        var s = Summarize(1, Gaussian("ref", RefD, RefMu, RefAlpha, Seeds(0.30, 0.12)));
        var clean = Claim(s, "ref", ClaimKind.CleanBound);
        // t = (0.30 − 0.14509)/(0.01/√3) = 26.8 with 2 degrees of freedom: P(T ≥ t) = (1 − t/√(t² + 2))/2.
        double t = (0.30 - clean.Threshold!.Value) / (0.01 / Math.Sqrt(3));
        Assert.That(clean.PValue, Is.EqualTo(0.5 * (1 - t / Math.Sqrt(t * t + 2))).Within(1e-9).Percent);
        Assert.That(clean.PAdjusted, Is.EqualTo(3 * clean.PValue!.Value).Within(1e-9).Percent, "Holm over the 3 claims in scope, smallest p first");
        Assert.That(clean.Outcome, Is.EqualTo(ClaimOutcome.Contradicted));
        Assert.That(Claim(s, "ref", ClaimKind.RobustBound).Outcome, Is.EqualTo(ClaimOutcome.Upheld));
    }

    [Test]
    public void C_min_is_where_the_contradicted_cell_leaves_scope()
    {
        // Cell "small-d" (d = 1000, α = 0) is in scope for C ≤ 1000/(n²·ln(n/δ)); its bound there is β + 2·e^(−1000/C) ≈ β,
        // and it measures 0.40: contradicted while in scope. The reference cell is consistent at every C.
        double smallCStar = 1000 / (100.0 * 100 * Math.Log(100 / 0.05));
        var s = Summarize(1, Gaussian("small-d", 1000, RefMu, 0, Seeds(0.40, 0.40)), Gaussian("ref", RefD, RefMu, RefAlpha, Seeds(0.11, 0.12)));
        Assert.That(s.Claims.CMin, Is.EqualTo(smallCStar).Within(1e-6).Percent);
        Assert.That(s.Claims.CMinAtGridStart, Is.False);
        Assert.That(s.Claims.InScopeAtCMin, Is.EqualTo(3), "only the reference cell's three claims remain in scope");
        Assert.That(s.Claims.ByC.Where(p => p.C < smallCStar).All(p => p.Contradicted == 1));
        Assert.That(s.Claims.ByC.Where(p => p.C > smallCStar).All(p => p.Contradicted == 0));
        Assert.That(s.Claims.SetBy.Select(r => (r.Cell, r.Claim)), Is.EqualTo(new[] { ("small-d", ClaimKind.CleanBound) }), "what keeps C_min from being smaller");
        Assert.That(s.Headlines[0], Does.Contain("C ≥ C_min = 0.0132 (just below it: clean-bound contradicted in 1 cell)").And.Contain("3 claims in scope there"));
    }

    [Test]
    public void No_contradiction_anywhere_puts_C_min_at_the_start_of_the_grid()
    {
        var s = Summarize(1, Gaussian("ref", RefD, RefMu, RefAlpha, Seeds(0.11, 0.12)));
        Assert.That(s.Claims.CMinAtGridStart);
        Assert.That(s.Claims.CMin, Is.EqualTo(CRange.Grid[0]));
        Assert.That(s.Headlines[0], Does.Contain("no claim contradicted at any C ≥ 0.001"));
    }

    [Test]
    public void Contradicted_up_to_the_largest_C_leaves_no_C_min()
    {
        // Theorem 3.2 has no C: a robust error well below 1/2 at α ≥ M contradicts it at every C.
        var s = Summarize(1, Gaussian("collapse", RefD, 2, 2, Seeds(0.2, 0.30)));
        Assert.That(Claim(s, "collapse", ClaimKind.Collapse).Outcome, Is.EqualTo(ClaimOutcome.Contradicted));
        Assert.That(s.Claims.CMin, Is.Null);
        Assert.That(s.Headlines[0], Does.Contain("no C makes the theorem consistent"));
    }

    [Test]
    public void A_robust_bound_is_contradicted_by_the_attack_and_confirmed_by_the_certificate()
    {
        // Reference cell, tested against 0.14509 at C = 1: the bracket decides which end does what.
        var s = Summarize(1,
            Gaussian("inside", RefD, RefMu, RefAlpha, Bracketed(0.11, 0.12, 0.125)),
            Gaussian("straddles", RefD, RefMu, RefAlpha, Bracketed(0.11, 0.12, 0.40)),
            Gaussian("beyond", RefD, RefMu, RefAlpha, Bracketed(0.11, 0.40, 0.45)));
        Assert.That(Claim(s, "inside", ClaimKind.RobustBound).Outcome, Is.EqualTo(ClaimOutcome.Upheld));
        Assert.That(Claim(s, "straddles", ClaimKind.RobustBound).Outcome, Is.EqualTo(ClaimOutcome.Unresolved),
            "the attack finds 0.12, but 0.40 is not certified: the true error may exceed the bound");
        Assert.That(Claim(s, "beyond", ClaimKind.RobustBound).Outcome, Is.EqualTo(ClaimOutcome.Contradicted), "even the lower end is beyond the bound");
        Assert.That(Claim(s, "straddles", ClaimKind.RobustBound).Detail, Does.Contain("confirmed by the certified error (upper end)"));
        Assert.That(s.Claims.AtCByKind.Single(k => k.Claim == ClaimKind.RobustBound).Unresolved, Is.EqualTo(1));
        Assert.That(s.Headlines.Any(h => h.Contains("1 unresolved")), string.Join("\n", s.Headlines));
    }

    [Test]
    public void The_collapse_is_contradicted_only_by_the_certified_upper_end()
    {
        // α = M = 2: Theorem 3.2 says ≥ 1/2. An attack finding 0.30 alone contradicted it before certification existed;
        // with a certificate the claim fails only when even the upper end is significantly below 1/2.
        var s = Summarize(1,
            Gaussian("weak-attack", RefD, 2, 2, Bracketed(0.2, 0.30, 0.70)),
            Gaussian("certified-below", RefD, 2, 2, Bracketed(0.2, 0.30, 0.32)),
            Gaussian("at-half", RefD, 2, 2, Bracketed(0.2, 0.52, 0.60)));
        Assert.That(Claim(s, "weak-attack", ClaimKind.Collapse).Outcome, Is.EqualTo(ClaimOutcome.Unresolved));
        Assert.That(Claim(s, "certified-below", ClaimKind.Collapse).Outcome, Is.EqualTo(ClaimOutcome.Contradicted));
        Assert.That(Claim(s, "at-half", ClaimKind.Collapse).Outcome, Is.EqualTo(ClaimOutcome.Upheld));
    }

    [Test]
    public void A_certified_error_below_what_any_classifier_reaches_is_a_certification_failure()
    {
        // M = 2, α = 1, β = 0.1: no classifier has robust error below 0.1 + 0.8·Φ(−1) ≈ 0.227.
        double lower = GaussianReference.RobustLower(2, 1, 0.1);
        var s = Summarize(1, Gaussian("bad-certificate", RefD, 2, 1, Bracketed(0.15, 0.05, 0.06)));
        Assert.That(s.Sanity.FlaggedChecks.Select(c => c.Quantity), Is.EquivalentTo(new[] { "robust", "robust, certified" }));
        Assert.That(s.Sanity.FlaggedChecks.All(c => c.LowerBound == lower));
    }

    [Test]
    public void Mnist_cells_are_outside_the_model_collapse_included()
    {
        // α = 0.5 ≥ M̂ = 0.4 with a robust error of 0.2: Theorem 3.2 would be "contradicted" if it applied to MNIST.
        var s = Summarize(1, Mnist("mnist", 14, 0.5, 0.4, Seeds(0.01, 0.2)));
        var claims = s.Cells[0].Claims;
        Assert.That(claims.Select(c => c.Claim), Is.SupersetOf(new[] { ClaimKind.Interpolation, ClaimKind.CleanBound, ClaimKind.Collapse }));
        Assert.That(claims.Select(c => c.Outcome), Is.All.EqualTo(ClaimOutcome.OutsideModel));
        Assert.That(s.Claims.Testable, Is.Zero);
        Assert.That(s.Claims.CMin, Is.Null, "nothing tested, nothing to be consistent with");
        Assert.That(s.Headlines[0], Does.Contain("nothing is tested").And.Contain("outside the theorem's model"));
        Assert.That(s.Sanity.Checked, Is.Zero, "the EXACT bounds are exact only for Gaussian data");
        Assert.That(s.Observations.Single(o => o.Contains("mnist")), Does.Contain("observations"));
    }

    [Test]
    public void Sanity_check_flags_a_robust_error_below_the_exact_lower_bound()
    {
        // M = 4, α = 2: no classifier has robust error below β + (1−2β)·Φ(−2) = 0.1182; the "attack" found 0.05.
        double lower = GaussianReference.RobustLower(4, 2, 0.1);
        var s = Summarize(1, Gaussian("weak-attack", RefD, 4, 2, Seeds(0.11, 0.05)), Gaussian("ref", RefD, RefMu, RefAlpha, Seeds(0.11, 0.12)));
        Assert.That(s.Sanity.Checked, Is.EqualTo(4));
        Assert.That(s.Sanity.Flagged, Is.EqualTo(1));
        var flag = s.Sanity.FlaggedChecks.Single();
        Assert.That((flag.Cell, flag.Quantity), Is.EqualTo(("weak-attack", "robust")));
        Assert.That(flag.LowerBound, Is.EqualTo(lower));
        Assert.That(s.Headlines.Single(h => h.Contains("ATTACK/EVALUATION FAILURE")), Does.Contain("1 of 4"));
        Assert.That(s.Cells.Single(c => c.Key == "ref").Sanity.Any(x => x.Flagged), Is.False, "0.12 is above the reference cell's bound");
    }

    [Test]
    public void A_measurement_at_the_exact_lower_bound_is_not_flagged()
    {
        double bayes = GaussianReference.BayesClean(RefMu, 0.1); // 0.1 + 0.8·Φ(−10): the label-noise floor
        var s = Summarize(1, Gaussian("ref", RefD, RefMu, RefAlpha, [new(bayes - 0.004, 0.12), new(bayes, 0.12), new(bayes + 0.002, 0.12)]));
        Assert.That(s.Sanity.Flagged, Is.Zero, "a mean a little below the floor is test-set noise, not a failed attack");
    }

    [Test]
    public void Interpolation_still_under_way_is_not_reached_and_a_stalled_one_is_tested_against_delta()
    {
        var falling = Enumerable.Repeat(new Run(0.11, 0.12, Interpolates: false, Curve: Loss.Falling), 3).ToArray();
        var s = Summarize(1, Gaussian("ref", RefD, RefMu, RefAlpha, falling));
        Assert.That(Claim(s, "ref", ClaimKind.Interpolation).Outcome, Is.EqualTo(ClaimOutcome.NotReached));
        Assert.That(Claim(s, "ref", ClaimKind.CleanBound).Outcome, Is.EqualTo(ClaimOutcome.NotReached), "the bounds describe the network after interpolation");

        // One of three runs stalled: allowed with probability 1 − 0.95³ = 0.142625 under the theorem.
        var one = new[] { new Run(0.11, 0.12, Interpolates: false, Curve: Loss.Flat), new Run(0.11, 0.12), new Run(0.11, 0.12) };
        var interp = Claim(Summarize(1, Gaussian("ref", RefD, RefMu, RefAlpha, one)), "ref", ClaimKind.Interpolation);
        Assert.That(interp.PValue, Is.EqualTo(1 - Math.Pow(0.95, 3)).Within(1e-12));
        Assert.That(interp.Outcome, Is.EqualTo(ClaimOutcome.Upheld));

        // All three stalled: 0.05³ = 1.25e-4, the only claim tested (the bounds are not reached): significant.
        var all = Enumerable.Repeat(new Run(0.11, 0.12, Interpolates: false, Curve: Loss.Flat), 3).ToArray();
        var stalled = Claim(Summarize(1, Gaussian("ref", RefD, RefMu, RefAlpha, all)), "ref", ClaimKind.Interpolation);
        Assert.That(stalled.PValue, Is.EqualTo(Math.Pow(0.05, 3)).Within(1e-9).Percent);
        Assert.That(stalled.Outcome, Is.EqualTo(ClaimOutcome.Contradicted));
    }

    [Test]
    public void The_clean_claim_does_not_need_R()
    {
        // d = 10⁶, M = 10, α = 2: R needs α/M ≤ √(n·M²/d)/C, so it holds only for C ≤ 0.1/0.2 = 0.5;
        // A1–A4 hold for C ≤ min(d/(n²·(ln(n/δ) + α²)), M²/ln(n/δ), 1/β, n/ln(1/δ)) = 8.62.
        var s = Summarize(1, Gaussian("no-R", 1e6, RefMu, 2, Seeds(0.11, 0.3)));
        Assert.That(Claim(s, "no-R", ClaimKind.CleanBound).CStar, Is.EqualTo(1e6 / (1e4 * (Math.Log(2000) + 4))).Within(1e-12).Percent);
        Assert.That(Claim(s, "no-R", ClaimKind.RobustBound).CStar, Is.EqualTo(0.5).Within(1e-12).Percent);
        Assert.That(Claim(s, "no-R", ClaimKind.CleanBound).Outcome, Is.EqualTo(ClaimOutcome.Upheld));
        Assert.That(Claim(s, "no-R", ClaimKind.Interpolation).Outcome, Is.EqualTo(ClaimOutcome.Upheld));
        Assert.That(Claim(s, "no-R", ClaimKind.RobustBound).Outcome, Is.EqualTo(ClaimOutcome.OutsideHypotheses));
    }

    [Test]
    public void A_bound_above_one_is_tested_as_one()
    {
        var s = Summarize(1, Gaussian("loose", RefD, 3, 0, Seeds(0.3, 0.3)));
        var clean = Claim(s, "loose", ClaimKind.CleanBound);
        Assert.That(clean.Bound, Is.GreaterThan(1));
        Assert.That(clean.Threshold, Is.EqualTo(1));
    }

    [Test]
    public void Diverged_runs_are_left_out_of_every_claim()
    {
        var cell = Gaussian("ref", RefD, RefMu, RefAlpha, Seeds(0.11, 0.12));
        var diverged = cell.Runs[0] with { Metrics = null, Divergence = "robust training loss became NaN" };
        var s = Summarize(1, cell with { Runs = [diverged, .. cell.Runs.Skip(1)] });
        Assert.That(Claim(s, "ref", ClaimKind.Interpolation).Detail, Does.Contain("all 2 runs"));
        Assert.That(s.Observations.Any(o => o.Contains("1 runs diverged")));
    }
}
