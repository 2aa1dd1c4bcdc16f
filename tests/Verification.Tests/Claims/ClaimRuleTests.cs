using System.Text.RegularExpressions;
using Verify.Bounds.Gaussian;
using Verify.Verification.Analysis;
using Verify.Verification.Claims;
using static Verify.Verification.Tests.Claims.HandMadeCells;
using Verify.Verification.Text;

namespace Verify.Verification.Tests.Claims;

/// <summary>
/// The rules by which a report's claims are decided, on cells made by hand. Reference cell: n = 100,
/// M = 10, d = 10⁵, α = 1, β = 0.1, δ = 0.05: A1–A4 hold for C ≤ d/(n²·(ln(n/δ) + α²)) = 1.1626, R for
/// C ≤ M·√(n·M²/d)/α = 3.162; the bound at C = 1 is b = β + 2·e⁻¹⁰ = 0.10009. A run of 2000 test points is
/// beyond it from the count <see cref="Critical"/> on (exact tail ≤ a₀ = 0.005, found here by direct summation).
/// </summary>
public class ClaimRuleTests
{
    private const double RefD = 1e5, RefMu = 10, RefAlpha = 1;
    private static readonly double RefCleanCStar = RefD / (100.0 * 100 * (Math.Log(100 / 0.05) + RefAlpha * RefAlpha));
    private static readonly double RefBound = 0.1 + 2 * Math.Exp(-10);
    private static readonly int Critical = Binomial.CriticalAbove(TestSize, RefBound, 0.005);
    private static readonly double PerRun = Delta + RunTest.RunLevel;

    /// <summary>A rate whose count on 2000 points is exactly <paramref name="count"/>.</summary>
    private static double Count(int count) => (double)count / TestSize;

    /// <summary>Three runs at the reference cell well inside the bound (counts 190, 200, 210 against a critical count near 236).</summary>
    private static Run[] Within => Seeds(0.10, 0.10, spread: 0.005);

    private static ClaimResult Claim(ExperimentSummary s, string cell, ClaimKind kind)
        => s.Cells.Single(c => c.Key == cell).Findings.Claims.Single(c => c.Claim == kind);

    [Test]
    public void Reference_cell_scopes_and_bound_match_the_closed_forms()
    {
        var s = Summarize(1, Gaussian("ref", RefD, RefMu, RefAlpha, Within));
        var clean = Claim(s, "ref", ClaimKind.CleanBound);
        Assert.That(clean.CStar, Is.EqualTo(RefCleanCStar).Within(1e-12).Percent);
        Assert.That(Claim(s, "ref", ClaimKind.RobustBound).CStar, Is.EqualTo(RefCleanCStar).Within(1e-12).Percent, "robust: min(A1–A4, R) and R's 3.16 is looser");
        Assert.That(clean.Bound, Is.EqualTo(RefBound).Within(1e-14));
        Assert.That(clean.RunsBeyond, Is.Zero);
        Assert.That(clean.PValue, Is.EqualTo(1));
        Assert.That(clean.Outcome, Is.EqualTo(ClaimOutcome.Upheld));
        Assert.That(Critical, Is.InRange(225, 245), "about 2.6 binomial standard errors (13.4 points) above 200");
    }

    [Test]
    public void A_run_is_beyond_from_the_exact_critical_count_on()
    {
        // Three runs at the critical count: each beyond, p = (δ + a₀)³, Holm over the 3 claims in scope (smallest first: ×3).
        var at = Enumerable.Repeat(new Run(Count(Critical), 0.10), 3).ToArray();
        var s = Summarize(1, Gaussian("ref", RefD, RefMu, RefAlpha, at));
        var clean = Claim(s, "ref", ClaimKind.CleanBound);
        Assert.That(clean.RunsBeyond, Is.EqualTo(3));
        Assert.That(clean.PValue, Is.EqualTo(Math.Pow(PerRun, 3)).Within(1e-12).Percent);
        Assert.That(clean.PAdjusted, Is.EqualTo(3 * Math.Pow(PerRun, 3)).Within(1e-12).Percent);
        Assert.That(clean.Outcome, Is.EqualTo(ClaimOutcome.Contradicted));

        // One count less in every run: no run is beyond, although every run (and the mean) is above the bound.
        var below = Enumerable.Repeat(new Run(Count(Critical - 1), 0.10), 3).ToArray();
        var t = Claim(Summarize(1, Gaussian("ref", RefD, RefMu, RefAlpha, below)), "ref", ClaimKind.CleanBound);
        Assert.That(t.Measured, Is.GreaterThan(RefBound + 0.01));
        Assert.That(t.RunsBeyond, Is.Zero);
        Assert.That(t.Outcome, Is.EqualTo(ClaimOutcome.Upheld), "no bracket: not contradicted is upheld, at the stated power");
    }

    [Test]
    public void The_power_on_the_page_is_the_critical_count()
    {
        var s = Summarize(1, Gaussian("ref", RefD, RefMu, RefAlpha, Within));
        var power = Claim(s, "ref", ClaimKind.CleanBound).Power!;
        // Family of 3 claims: one run beyond gives 1 − 0.945³ = 0.156, two 0.0087 (> 0.05/3? no: ≤ 0.0167), so two runs are needed.
        Assert.That(power.Runs, Is.EqualTo(3));
        Assert.That(power.RunsNeeded, Is.EqualTo(Binomial.Upper(2, 3, PerRun) <= 0.05 / 3 ? 2 : 3));
        Assert.That(power.RunsNeeded, Is.EqualTo(2));
        Assert.That(power.Excess, Is.EqualTo(Count(Critical) - RefBound).Within(1e-12));
        Assert.That(s.Findings.Claims.AtC.Power.Single(p => p.Claim == ClaimKind.CleanBound).Needs.ExcessLow, Is.EqualTo(power.Excess));
        Assert.That(s.Findings.Headlines[0], Does.Match(@"\b2\D+\b3 runs\D*≥ " + Regex.Escape(Verify.Verification.Text.Fmt.Num(power.Excess, 2)) + @"(?!\d)"), "2 of the 3 runs, each by the excess");
    }

    [Test]
    public void A_cell_outside_the_hypotheses_never_counts_whatever_it_measures()
    {
        // d = 1000: A2 holds only for C ≤ 1000/(n²·ln(n/δ)) ≈ 0.0132. Errors of 0.45 and runs stuck short of interpolation.
        var stuck = Enumerable.Repeat(new Run(0.45, 0.45, Interpolates: false, Curve: Loss.Flat), 3).ToArray();
        var s = Summarize(1, Gaussian("small-d", 1000, RefMu, 0, stuck), Gaussian("ref", RefD, RefMu, RefAlpha, Within));
        foreach (var c in s.Cells.Single(c => c.Key == "small-d").Findings.Claims)
        {
            Assert.That(c.Outcome, Is.EqualTo(ClaimOutcome.OutsideHypotheses), c.Claim.ToString());
            Assert.That(c.PValue, Is.Null, "not tested, so not in the Holm family either");
        }
        Assert.That(s.Findings.Claims.AtC.Contradicted, Is.Zero);
        Assert.That(s.Findings.Claims.AtC.Tested, Is.EqualTo(3), "the reference cell's interpolation, clean and robust claims only");
        Assert.That(s.Findings.Headlines[1], Does.Match(@"^\D*\bC = 1: 3\b\D*\b0 contradicted\b"), "at C = 1: 3 tested, 0 contradicted");
    }

    [Test]
    public void The_referees_robust_bound_is_contradicted_at_the_paper_synthetic_family_size()
    {
        // d = 10⁶, M = 16, α = 1.6: R holds for C ≤ 1.6, the bound at C = 1 is β + 2·e^(−6.55) = 0.103; runs of 2000 test points
        // measured 0.3525, 0.513, 0.478 (certified 0.448–0.527). The seed-mean t test called it unresolved; each run alone is far beyond.
        var referee = Gaussian("referee", 1e6, 16, 1.6,
            new Run(0.11, 0.3525, Certified: 0.448), new Run(0.11, 0.513, Certified: 0.527), new Run(0.11, 0.478, Certified: 0.50));
        // 22 reference cells make a family of 69 claims at C = 1, as in reports/paper-synthetic.
        var fillers = Enumerable.Range(0, 22).Select(i => Gaussian($"ref{i}", RefD, RefMu, RefAlpha, Within));
        var s = Summarize(1, [referee, .. fillers]);
        var robust = Claim(s, "referee", ClaimKind.RobustBound);
        Assert.That(robust.Bound, Is.EqualTo(0.1 + 2 * Math.Exp(-100 * Math.Pow(16, 4) / 1e6)).Within(1e-12));
        Assert.That(s.Findings.Claims.AtC.Tested, Is.EqualTo(69));
        Assert.That(robust.RunsBeyond, Is.EqualTo(3));
        Assert.That(robust.PAdjusted, Is.EqualTo(69 * Math.Pow(PerRun, 3)).Within(1e-9).Percent, "the smallest p of the family, times its size");
        Assert.That(robust.Outcome, Is.EqualTo(ClaimOutcome.Contradicted));
        Assert.That(s.Findings.Claims.Contradicted.Single().RunValues, Is.EqualTo(new[] { 0.3525, 0.513, 0.478 }).Within(1e-12));
    }

    [Test]
    public void C_min_is_where_the_contradicted_cell_leaves_scope()
    {
        // Cell "small-d" (d = 1000, α = 0) is in scope for C ≤ 1000/(n²·ln(n/δ)); its bound there is β + 2·e^(−1000/C) ≈ β,
        // and its runs measure 0.40: contradicted while in scope. The reference cell is consistent at every C.
        double smallCStar = 1000 / (100.0 * 100 * Math.Log(100 / 0.05));
        var s = Summarize(1, Gaussian("small-d", 1000, RefMu, 0, Seeds(0.40, 0.40)), Gaussian("ref", RefD, RefMu, RefAlpha, Within));
        Assert.That(s.Findings.Claims.CMin, Is.EqualTo(smallCStar).Within(1e-6).Percent);
        Assert.That(s.Findings.Claims.CMinAtGridStart, Is.False);
        Assert.That(s.Findings.Claims.AtCMin!.Tested, Is.EqualTo(3), "only the reference cell's three claims remain in scope");
        Assert.That(s.Findings.Claims.ByC.Where(p => p.C < smallCStar).All(p => p.Contradicted == 1));
        Assert.That(s.Findings.Claims.ByC.Where(p => p.C > smallCStar).All(p => p.Contradicted == 0));
        Assert.That(s.Findings.Claims.SetBy.Select(r => (r.Cell, r.Claim)), Is.EqualTo(new[] { ("small-d", ClaimKind.CleanBound) }), "what keeps C_min from being smaller");
        Assert.That(s.Findings.Headlines[0], Does.StartWith(Headlines.Forms + ": 0 of 3 testable claims contradicted at C ≥ C_min = 0.0132"));
        Assert.That(s.Findings.Headlines[0], Does.Match(@"\bC_min: clean-bound contradicted\D*\b1\b"), "below C_min: the claim that sets it, and in how many cells");
    }

    [Test]
    public void No_contradiction_anywhere_puts_C_min_at_the_start_of_the_grid()
    {
        var s = Summarize(1, Gaussian("ref", RefD, RefMu, RefAlpha, Within));
        Assert.That(s.Findings.Claims.CMinAtGridStart);
        Assert.That(s.Findings.Claims.CMin, Is.EqualTo(CRange.Grid[0]));
        Assert.That(s.Findings.Headlines[0], Does.Match(@"\b0\D+\b3\b\D+\bcontradicted\D+\bC ≥ 0\.001\b"), "0 of 3 contradicted, from the grid's first C");
        Assert.That(s.Findings.Headlines[0], Does.Match(@"^Theorem 3\.1\W+RECONSTRUCTED\b"), "the headline names the forms it tests");
    }

    [Test]
    public void Contradicted_up_to_the_largest_C_leaves_no_C_min()
    {
        // Theorem 3.2 has no C: runs well below 1/2 at α ≥ M contradict it at every C (no certificate: the attack alone).
        var s = Summarize(1, Gaussian("collapse", RefD, 2, 2, Seeds(0.2, 0.30)));
        var collapse = Claim(s, "collapse", ClaimKind.Collapse);
        Assert.That(collapse.RunsBeyond, Is.EqualTo(3));
        Assert.That(collapse.PValue, Is.EqualTo(Math.Pow(RunTest.RunLevel, 3)).Within(1e-9).Percent, "no failure probability: Bin(3, a₀)");
        Assert.That(collapse.Outcome, Is.EqualTo(ClaimOutcome.Contradicted));
        Assert.That(s.Findings.Claims.CMin, Is.Null);
        Assert.That(s.Findings.Headlines[0], Does.Match(@"\bcontradicted\D+\bC\D+" + Regex.Escape(Verify.Verification.Text.Fmt.Num(CRange.Grid[^1])) + @"(?!\d)"), "contradicted up to the grid's last C");
    }

    [Test]
    public void A_robust_bound_is_contradicted_by_the_attack_and_confirmed_by_the_certificate()
    {
        // Reference cell against b = 0.10009 at C = 1; the bracket decides which end does what.
        var s = Summarize(1,
            Gaussian("inside", RefD, RefMu, RefAlpha, Bracketed(0.10, 0.10, 0.105, spread: 0.005)),
            Gaussian("straddles", RefD, RefMu, RefAlpha, Bracketed(0.10, 0.095, 0.40, spread: 0.005)),
            Gaussian("leaning", RefD, RefMu, RefAlpha, Bracketed(0.10, 0.11, 0.40, spread: 0.001)),
            Gaussian("beyond", RefD, RefMu, RefAlpha, Bracketed(0.10, 0.40, 0.45)));
        Assert.That(Claim(s, "inside", ClaimKind.RobustBound).Outcome, Is.EqualTo(ClaimOutcome.Upheld));
        var straddles = Claim(s, "straddles", ClaimKind.RobustBound);
        Assert.That(straddles.Outcome, Is.EqualTo(ClaimOutcome.Unresolved), "the attack finds 0.095 (below b), but 0.40 is not certified: the true error may exceed b");
        Assert.That(straddles.Detail, Does.Match(@"\bunresolved\b\W.*\(lower end\).*\(upper end\)"), "the outcome, then the end that could contradict (the attack's), then the other");
        // 0.109–0.111: above the bound in every run, but each count (218–222) short of the critical one.
        var leaning = Claim(s, "leaning", ClaimKind.RobustBound);
        Assert.That(leaning.Measured, Is.GreaterThan(RefBound));
        Assert.That(leaning.RunsBeyond, Is.Zero);
        Assert.That(leaning.Outcome, Is.EqualTo(ClaimOutcome.BeyondNotSignificant));
        Assert.That(leaning.Detail, Does.Match(@"\(lower end\).*\(upper end\)"), "the end that could contradict (the attack's) first");
        Assert.That(Claim(s, "beyond", ClaimKind.RobustBound).Outcome, Is.EqualTo(ClaimOutcome.Contradicted), "even the lower end is beyond the bound");
        Assert.That(s.Findings.Claims.AtC.ByKind.Single(k => k.Claim == ClaimKind.RobustBound).Unresolved, Is.EqualTo(1));
        Assert.That(s.Findings.Headlines.Any(h => h.Contains("1 unresolved") && h.Contains("1 beyond the claim but not significantly")), string.Join("\n", s.Findings.Headlines));
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
    public void A_bound_of_one_or_more_is_vacuous_and_out_of_the_family()
    {
        // M = 3, d = 10⁵, α = 0: b(1) = β + 2·e^(−0.081) = 1.94. "Upheld" would say nothing; it is vacuous and not tested.
        var s = Summarize(1, Gaussian("loose", RefD, 3, 0, Seeds(0.3, 0.3)), Gaussian("ref", RefD, RefMu, RefAlpha, Within));
        var clean = Claim(s, "loose", ClaimKind.CleanBound);
        Assert.That(clean.Bound, Is.EqualTo(0.1 + 2 * Math.Exp(-100 * 81 / 1e5)).Within(1e-12));
        Assert.That(clean.Outcome, Is.EqualTo(ClaimOutcome.Vacuous));
        Assert.That(clean.PValue, Is.Null);
        Assert.That(s.Findings.Claims.AtC.Vacuous, Is.EqualTo(1));
        Assert.That(s.Findings.Claims.AtC.Tested, Is.EqualTo(4), "the loose cell's interpolation and the reference cell's three claims");
        // At C = 10⁻², b = β + 2·e^(−8.1) = 0.1006 < 1: in scope there.
        Assert.That(s.Findings.Claims.ByC.Single(p => Math.Abs(p.C - 0.01) < 1e-12).Vacuous, Is.Zero);
    }

    [Test]
    public void Too_few_runs_for_the_family_are_untestable_and_out_of_it()
    {
        // Two runs: all beyond gives p = 0.055² = 0.0030 at best, which Holm can only reject in a family of at most 16.
        // Seven reference cells bring the claims in scope to 24: the two-run cell's claims cannot be contradicted there.
        var two = Gaussian("two-runs", RefD, RefMu, RefAlpha, new Run(0.45, 0.45), new Run(0.45, 0.45));
        var s = Summarize(1, [two, .. Enumerable.Range(0, 7).Select(i => Gaussian($"ref{i}", RefD, RefMu, RefAlpha, Within))]);
        foreach (var kind in new[] { ClaimKind.Interpolation, ClaimKind.CleanBound, ClaimKind.RobustBound })
        {
            var c = Claim(s, "two-runs", kind);
            Assert.That(c.Outcome, Is.EqualTo(ClaimOutcome.Untestable), kind.ToString());
            Assert.That(c.PValue, Is.Null);
        }
        Assert.That(Claim(s, "two-runs", ClaimKind.CleanBound).RunsBeyond, Is.EqualTo(2), "far beyond in both runs, and still it cannot fail: untestable, not upheld");
        Assert.That(s.Findings.Claims.AtC.Untestable, Is.EqualTo(3));
        Assert.That(s.Findings.Claims.AtC.Tested, Is.EqualTo(21), "the Holm family is the 21 testable claims");
        Assert.That(s.Findings.Headlines[0], Does.Match(@"\b0\D+\b21\b\D+\bcontradicted\b.*\b3 untestable\b"));

        // Alone, the same cell is testable (family of 3 ≤ 16) and contradicted.
        var alone = Summarize(1, Gaussian("two-runs", RefD, RefMu, RefAlpha, new Run(0.45, 0.45), new Run(0.45, 0.45)));
        Assert.That(Claim(alone, "two-runs", ClaimKind.CleanBound).Outcome, Is.EqualTo(ClaimOutcome.Contradicted));
    }

    [Test]
    public void Too_few_test_points_for_the_bound_are_untestable()
    {
        // Runs of three test points against a bound of 0.2: even 3 errors of 3 have probability 0.2³ = 0.008 > a₀, so no run can be
        // beyond it. M = (d·ln 20/n)^¼ ≈ 7.4 at d = 10⁵, α = 0 gives b = β + 2·e^(−n·M⁴/d) = 0.2, with A1–A4 holding up to C = 1.32.
        double mu = Math.Pow(1e5 * Math.Log(20) / 100, 0.25);
        var tiny = Enumerable.Repeat(new Run(1.0, 1.0, Tests: 3), 3).ToArray();
        var s = Summarize(1, Gaussian("tiny", RefD, mu, 0, tiny));
        var clean = Claim(s, "tiny", ClaimKind.CleanBound);
        Assert.That(clean.Bound, Is.EqualTo(0.2).Within(1e-9));
        Assert.That(Math.Pow(0.2, 3), Is.GreaterThan(RunTest.RunLevel));
        Assert.That(clean.Outcome, Is.EqualTo(ClaimOutcome.Untestable), "every run wrong on every test point, and it still cannot be beyond the bound");
    }

    [Test]
    public void A_certified_error_below_what_any_classifier_reaches_is_a_certification_failure()
    {
        // M = 2, α = 1, β = 0.1: no classifier has robust error below 0.1 + 0.8·Φ(−1) ≈ 0.227.
        double lower = GaussianReference.RobustLower(2, 1, 0.1);
        var s = Summarize(1, Gaussian("bad-certificate", RefD, 2, 1, Bracketed(0.15, 0.05, 0.06)));
        Assert.That(s.Findings.Sanity.FlaggedChecks.Select(c => c.Quantity), Is.EquivalentTo(new[] { "robust", "robust, certified" }));
        Assert.That(s.Findings.Sanity.FlaggedChecks.All(c => c.LowerBound == lower));
        Assert.That(s.Findings.Sanity.FlaggedChecks.All(c => c.RunsBelow == 3));
    }

    [Test]
    public void Mnist_cells_are_outside_the_model_collapse_included()
    {
        // α = 0.5 ≥ M̂ = 0.4 with a robust error of 0.2: Theorem 3.2 would be "contradicted" if it applied to MNIST.
        var s = Summarize(1, Mnist("mnist", 14, 0.5, 0.4, Seeds(0.01, 0.2)));
        var claims = s.Cells[0].Findings.Claims;
        Assert.That(claims.Select(c => c.Claim), Is.SupersetOf(new[] { ClaimKind.Interpolation, ClaimKind.CleanBound, ClaimKind.Collapse }));
        Assert.That(claims.Select(c => c.Outcome), Is.All.EqualTo(ClaimOutcome.OutsideModel));
        Assert.That(s.Findings.Claims.Reached, Is.Zero);
        Assert.That(s.Findings.Claims.CMin, Is.Null, "nothing tested, nothing to be consistent with");
        Assert.That(s.Findings.Headlines[0], Does.Contain("nothing is tested").And.Contain("outside the theorem's model"));
        Assert.That(s.Findings.Sanity.Checked + s.Findings.Sanity.Untestable, Is.Zero, "the EXACT bounds are exact only for Gaussian data");
        Assert.That(s.Findings.Observations.Single(o => o.Contains("mnist")), Does.Contain("observations"));
    }

    [Test]
    public void Sanity_check_flags_runs_below_the_exact_lower_bound()
    {
        // M = 4, α = 2: no classifier has robust error below β + (1−2β)·Φ(−2) = 0.1182; the "attack" found 0.04–0.06.
        double lower = GaussianReference.RobustLower(4, 2, 0.1);
        var s = Summarize(1, Gaussian("weak-attack", RefD, 4, 2, Seeds(0.11, 0.05)), Gaussian("ref", RefD, RefMu, RefAlpha, Within));
        Assert.That(s.Findings.Sanity.Checked, Is.EqualTo(4));
        Assert.That(s.Findings.Sanity.Flagged, Is.EqualTo(1));
        var flag = s.Findings.Sanity.FlaggedChecks.Single();
        Assert.That((flag.Cell, flag.Quantity), Is.EqualTo(("weak-attack", "robust")));
        Assert.That(flag.LowerBound, Is.EqualTo(lower));
        Assert.That(flag.PValue, Is.EqualTo(Math.Pow(RunTest.RunLevel, 3)).Within(1e-9).Percent, "every run holds the bound: Bin(3, a₀)");
        Assert.That(s.Findings.Headlines.Single(h => h.Contains("ATTACK/EVALUATION FAILURE")), Does.Contain("1 of 4"));
        Assert.That(s.Cells.Single(c => c.Key == "ref").Findings.Sanity.Any(x => x.Flagged), Is.False, "0.10 is above the reference cell's bound");
    }

    [Test]
    public void A_run_at_the_exact_lower_bound_is_not_flagged()
    {
        double bayes = GaussianReference.BayesClean(RefMu, 0.1); // 0.1 + 0.8·Φ(−10): the label-noise floor
        var s = Summarize(1, Gaussian("ref", RefD, RefMu, RefAlpha, [new(bayes - 0.004, 0.12), new(bayes, 0.12), new(bayes + 0.002, 0.12)]));
        Assert.That(s.Findings.Sanity.Flagged, Is.Zero, "a run a little below the floor is test-set noise, not a failed attack");
        int critical = Binomial.CriticalBelow(TestSize, bayes, 0.005);
        Assert.That(s.Findings.Sanity.Power!.ExcessLow, Is.LessThanOrEqualTo(bayes - (double)critical / TestSize + 1e-12));
    }

    [Test]
    public void Interpolation_still_under_way_is_not_reached_and_a_stalled_one_is_tested_against_delta()
    {
        var falling = Enumerable.Repeat(new Run(0.10, 0.10, Interpolates: false, Curve: Loss.Falling), 3).ToArray();
        var s = Summarize(1, Gaussian("ref", RefD, RefMu, RefAlpha, falling));
        Assert.That(Claim(s, "ref", ClaimKind.Interpolation).Outcome, Is.EqualTo(ClaimOutcome.NotReached));
        Assert.That(Claim(s, "ref", ClaimKind.CleanBound).Outcome, Is.EqualTo(ClaimOutcome.NotReached), "the bounds describe the network after interpolation");

        // One of three runs stalled: allowed with probability 1 − 0.95³ = 0.142625 under the theorem.
        var one = new[] { new Run(0.10, 0.10, Interpolates: false, Curve: Loss.Flat), new Run(0.10, 0.10), new Run(0.10, 0.10) };
        var interp = Claim(Summarize(1, Gaussian("ref", RefD, RefMu, RefAlpha, one)), "ref", ClaimKind.Interpolation);
        Assert.That(interp.PValue, Is.EqualTo(1 - Math.Pow(0.95, 3)).Within(1e-12));
        Assert.That(interp.Outcome, Is.EqualTo(ClaimOutcome.Upheld));

        // All three stalled: 0.05³ = 1.25e-4, the only claim tested (the bounds are not reached): significant.
        var all = Enumerable.Repeat(new Run(0.10, 0.10, Interpolates: false, Curve: Loss.Flat), 3).ToArray();
        var stalled = Claim(Summarize(1, Gaussian("ref", RefD, RefMu, RefAlpha, all)), "ref", ClaimKind.Interpolation);
        Assert.That(stalled.PValue, Is.EqualTo(Math.Pow(0.05, 3)).Within(1e-9).Percent);
        Assert.That(stalled.Outcome, Is.EqualTo(ClaimOutcome.Contradicted));
    }

    [Test]
    public void Interpolation_is_upheld_only_where_the_certificate_confirms_it()
    {
        // Every run fits by the attack; in "uncertified" no run has every training point certified: 3 of 3 unconfirmed,
        // p = 0.05³ at the confirming end, Holm over the 6 claims: the bracket straddles the claim.
        var uncertified = Enumerable.Repeat(new Run(0.10, 0.10, TrainUncertified: 4), 3).ToArray();
        var s = Summarize(1, Gaussian("uncertified", RefD, RefMu, RefAlpha, uncertified), Gaussian("certified", RefD, RefMu, RefAlpha, Within));
        Assert.That(Claim(s, "certified", ClaimKind.Interpolation).Outcome, Is.EqualTo(ClaimOutcome.Upheld));
        var u = Claim(s, "uncertified", ClaimKind.Interpolation);
        Assert.That(u.Outcome, Is.EqualTo(ClaimOutcome.Unresolved));
        Assert.That(u.Detail, Does.Match(@"(?<![\d.])0 certified\b"));
        // Without a training certificate (runs written before it existed) the claim rests on the attack, as before.
        var old = Enumerable.Repeat(new Run(0.10, 0.10, TrainUncertified: null), 3).ToArray();
        var o = Claim(Summarize(1, Gaussian("old", RefD, RefMu, RefAlpha, old)), "old", ClaimKind.Interpolation);
        Assert.That(o.Outcome, Is.EqualTo(ClaimOutcome.Upheld));
        Assert.That(o.Detail, Does.Match(@"(?<![\d.])3\b\D*\(attack only\)"));
    }

    [Test]
    public void The_clean_claim_does_not_need_R()
    {
        // d = 10⁶, M = 10, α = 2: R needs α/M ≤ √(n·M²/d)/C, so it holds only for C ≤ 0.1/0.2 = 0.5;
        // A1–A4 hold for C ≤ min(d/(n²·(ln(n/δ) + α²)), M²/ln(n/δ), 1/β, n/ln(1/δ)) = 8.62.
        var s = Summarize(1, Gaussian("no-R", 1e6, RefMu, 2, Seeds(0.10, 0.3, spread: 0.005)));
        Assert.That(Claim(s, "no-R", ClaimKind.CleanBound).CStar, Is.EqualTo(1e6 / (1e4 * (Math.Log(2000) + 4))).Within(1e-12).Percent);
        Assert.That(Claim(s, "no-R", ClaimKind.RobustBound).CStar, Is.EqualTo(0.5).Within(1e-12).Percent);
        Assert.That(Claim(s, "no-R", ClaimKind.CleanBound).Outcome, Is.EqualTo(ClaimOutcome.Upheld));
        Assert.That(Claim(s, "no-R", ClaimKind.Interpolation).Outcome, Is.EqualTo(ClaimOutcome.Upheld));
        Assert.That(Claim(s, "no-R", ClaimKind.RobustBound).Outcome, Is.EqualTo(ClaimOutcome.OutsideHypotheses));
    }

    [Test]
    public void Diverged_runs_are_left_out_of_every_claim()
    {
        var cell = Gaussian("ref", RefD, RefMu, RefAlpha, Within);
        var diverged = cell.Runs[0] with { Metrics = null, Divergence = "robust training loss became NaN" };
        var s = Summarize(1, cell with { Runs = [diverged, .. cell.Runs.Skip(1)] });
        Assert.That(Claim(s, "ref", ClaimKind.Interpolation).Detail, Does.Contain("all 2 runs"));
        Assert.That(Claim(s, "ref", ClaimKind.CleanBound).RunValues, Has.Count.EqualTo(2));
        Assert.That(s.Findings.Observations.Any(o => o.Contains("1 runs diverged")));
    }
}
