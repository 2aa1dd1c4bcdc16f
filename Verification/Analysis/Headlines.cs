using Verify.Simulation.Settings;
using Verify.Verification.Claims;
using Verify.Verification.Output;
using Verify.Verification.Text;

namespace Verify.Verification.Analysis;

/// <summary>
/// The lines at the top of a report (and printed by `verify report`), in the order a referee reads
/// them: the theorems' outcome across C, the outcome at the tables' C, the sanity checks, the
/// HEURISTIC agreement, the observations, the phase boundaries.
/// </summary>
internal static class Headlines
{
    public static IReadOnlyList<string> Of(ClaimsSummary claims, IReadOnlyList<NoiseModelClaims> noiseModels, SanitySummary sanity, CertificationSummary certification, HeuristicAgreement heuristic, MnistComparison mnist,
        IReadOnlyList<string> observations, IReadOnlyList<PhaseBoundaryFit> fits, double epsilon)
    {
        var lines = new List<string> { Theorems(claims) };
        if (claims.Reached > 0) lines.Add(AtC(claims));
        lines.AddRange(NoiseModels(noiseModels, claims.C));
        lines.Add(Sanity(sanity));
        if (certification.Cells + certification.Uncertified > 0) lines.Add(Certification(certification));
        if (heuristic.GaussianCells > 0) lines.Add(Heuristic(heuristic));
        if (mnist.Groups.Count > 0) lines.Add(Mnist(mnist));
        lines.AddRange(observations);
        foreach (var f in fits.Where(f => double.IsFinite(f.Slope)))
        {
            // The interval is pooled across the report's fits (PooledSlopes): a few points never get one from their own scatter alone.
            bool interval = double.IsFinite(f.SlopeLow95) && double.IsFinite(f.SlopeHigh95);
            string reading = !interval ? $"STATED asymptotic slope {f.TheorySlope:0}"
                : f.TheorySlope >= f.SlopeLow95 && f.TheorySlope <= f.SlopeHigh95 ? $"the interval contains the STATED asymptotic slope {f.TheorySlope:0}"
                : $"the interval excludes the STATED asymptotic slope {f.TheorySlope:0}";
            lines.Add($"Phase boundary ({f.Metric} error = β + {Fmt.Num(epsilon)}, α/M = {Fmt.Num(f.AlphaOverMu)}{(f.Model is null ? "" : $", {f.Model}")}): fitted slope {Fmt.Num(f.Slope, 3)} in log M–log d over {f.Points.Count} values of M"
                + (interval
                    ? $" [95%: {Fmt.Num(f.SlopeLow95, 3)}, {Fmt.Num(f.SlopeHigh95, 3)}; from a scatter τ = {Fmt.Num(f.Scatter, 2)} in ln d common to the {f.PooledFits} fits, {f.DegreesOfFreedom} degrees of freedom]"
                    : $" ({f.IntervalBasis})")
                + $"; {reading}"
                + (double.IsFinite(f.HeuristicSlope) ? $"; HEURISTIC boundary at the same M {Fmt.Num(f.HeuristicSlope, 3)}." : "."));
        }
        return lines;
    }

    /// <summary>The forms the claims are tested in: the bounds' exact form and two of the assumptions are RECONSTRUCTED, not the paper's own.</summary>
    public const string Forms = "Theorem 3.1 (RECONSTRUCTED bound forms and assumptions A1, A3) and Theorem 3.2";

    /// <summary>The first line: what the data say about the theorems, whatever C is.</summary>
    public static string Theorems(ClaimsSummary s)
    {
        string prefix = Forms + ": ";
        if (s.Claims == 0) return prefix + "no claim is made at any cell (no cell has finished runs with known M and d).";
        if (s.Reached == 0)
            return prefix + (s.OutsideModel == s.Claims
                ? "nothing is tested: every cell is outside the theorem's model (not a Gaussian mixture); what follows are observations."
                : "nothing is tested: in no cell inside the model did the runs reach the state the claims describe (see \"not reached\").");
        if (s.CMin is not { } cMin || s.AtCMin is not { } at)
        {
            var top = s.ByC[^1];
            return prefix + $"claims are contradicted at every C up to {Fmt.Num(top.C)} ({top.Contradicted} of {top.Tested} testable there): "
                + "no C makes the theorem consistent with these measurements.";
        }
        string where = s.CMinAtGridStart ? $"at any C ≥ {Fmt.Num(cMin)} (the smallest C examined)" : $"at C ≥ C_min = {Fmt.Num(cMin, 3)}";
        string below = s.CMinAtGridStart ? ""
            : $" Just below C_min: {string.Join(", ", s.SetBy.GroupBy(r => r.Claim).Select(g => $"{g.Key.Name()} contradicted in {g.Count()} cell{(g.Count() == 1 ? "" : "s")}"))}.";
        string aside = $"{at.Untestable} untestable, {at.Vacuous} vacuous";
        if (at.Tested == 0)
            return prefix + $"no claim contradicted {where}, but none is testable there ({aside}), so the data cannot test the theorem at any C where it is consistent." + below;
        string note = !s.CMinAtGridStart && at.ByKind.All(k => k.Claim == ClaimKind.Collapse || k.Tested == 0)
            ? " Theorem 3.1 has no testable claim at C ≥ C_min, so only Theorem 3.2 is tested there."
            : "";
        return prefix + $"0 of {at.Tested} testable claims contradicted {where} ({Kinds(at.ByKind)}; {aside}); there {Needs(at.Power)}.{below}{note}";
    }

    /// <summary>
    /// One line per noise family: the C each label rule allows there, beside the paper's model (random flips of Gaussian
    /// noise), and the claims contradicted at the tables' C.
    /// </summary>
    public static IEnumerable<string> NoiseModels(IReadOnlyList<NoiseModelClaims> models, double c)
    {
        var reference = models.FirstOrDefault(m => m.IsReference);
        foreach (var family in models.GroupBy(m => m.Family))
        {
            var others = family.Where(m => !m.IsReference).ToList();
            if (others.Count == 0) continue;
            // Rules that allow the same C are named together: "margin, confident flips C ≥ 0.4".
            string allows = string.Join("; ", others.GroupBy(m => m.Allows).Select(g => $"{string.Join(", ", g.Select(m => m.LabelNoise))} flips {g.Key}"));
            string beside = reference is null ? "" : $"; the paper's model ({reference.Flips}, {reference.Family}) {reference.Allows}";
            string atC = string.Join(", ", family.Select(m => $"{m.LabelNoise} {m.Claims.AtC.Contradicted} of {m.Claims.AtC.Tested}"));
            // Another family's C is read at its own scale (a looser bound at the same M): say so where the number stands.
            string scale = others[0].Noise == Keys.Noise.Format(NoiseFamily.Gaussian) ? ""
                : ", with its bound read at the family's scale (RECONSTRUCTED; looser than the Gaussian bound at the same M, so these C are not on the Gaussian model's scale)";
            yield return $"Under {family.Key}{scale}, the C the data allow: {allows}{beside}. Contradicted at C = {Fmt.Num(c)}: {atC}.";
        }
    }

    /// <summary>What a contradiction needs, in words: the error bounds first (the claims most cells make), then the others.</summary>
    public static string Needs(IReadOnlyList<KindPower> power)
    {
        var parts = new List<string>();
        var bounds = PowerRange.Merge(power.Where(k => k.Claim is ClaimKind.CleanBound or ClaimKind.RobustBound).Select(k => k.Needs));
        if (bounds is not null) parts.Add($"{Runs(bounds)} each ≥ {Excess(bounds)} above a bound");
        foreach (var k in power)
        {
            if (k.Claim == ClaimKind.Collapse) parts.Add($"for the collapse {Runs(k.Needs)} each ≥ {Excess(k.Needs)} below 1/2");
            if (k.Claim == ClaimKind.Interpolation) parts.Add($"for interpolation {Runs(k.Needs)} stalled short of it");
        }
        return parts.Count == 0 ? "nothing is tested" : "a contradiction needs " + string.Join("; ", parts);
    }

    /// <summary>"3 of 3 runs", "2–3 of 3–4 runs".</summary>
    public static string Runs(PowerRange p)
        => $"{Range(p.RunsNeededLow, p.RunsNeededHigh)} of {(p.RunsLow == p.RunsHigh ? $"its {p.RunsLow}" : $"{p.RunsLow}–{p.RunsHigh}")} runs";

    /// <summary>"0.017", "0.017–0.035": the excess the runs need.</summary>
    public static string Excess(PowerRange p) => Range(p.ExcessLow, p.ExcessHigh);

    private static string Range(int lo, int hi) => lo == hi ? $"{lo}" : $"{lo}–{hi}";
    private static string Range(double lo, double hi) => Fmt.Num(lo, 2) == Fmt.Num(hi, 2) ? Fmt.Num(lo, 2) : $"{Fmt.Num(lo, 2)}–{Fmt.Num(hi, 2)}";

    private static string AtC(ClaimsSummary s)
    {
        var at = s.AtC;
        string text = $"At the tables' C = {Fmt.Num(s.C)}: {at.Tested} claims tested, {at.Contradicted} contradicted";
        if (at.Tested > 0) text += $" ({Kinds(at.ByKind, contradicted: true)})";
        int unresolved = at.ByKind.Sum(k => k.Unresolved), leaning = at.ByKind.Sum(k => k.BeyondNotSignificant);
        if (unresolved > 0) text += $"; {unresolved} unresolved (the bracket [attacked, certified] straddles the claim)";
        if (leaning > 0) text += $"; {leaning} beyond the claim but not significantly (the end that could contradict lies beyond it, the other end significantly so)";
        text += $"; {at.Untestable} untestable, {at.Vacuous} vacuous (bound ≥ 1)";
        if (at.NotReached > 0) text += $"; {at.NotReached} not reached (runs that had not interpolated by the last iteration)";
        if (at.Tested > 0) text += $"; {Needs(at.Power)}";
        return text + ".";
    }

    private static string Sanity(SanitySummary s)
    {
        if (s.Checked + s.Untestable == 0) return "Sanity checks: none apply (they need Gaussian cells: the lower bounds are EXACT only for the Gaussian model).";
        string untestable = s.Untestable > 0 ? $"; {s.Untestable} more cannot flag with these runs (untestable)" : "";
        string power = s.Power is { } p ? $"; a flag needs {Runs(p)} each ≥ {Excess(p)} below the bound" : "";
        if (s.Checked == 0)
            return $"Sanity checks: none can flag: all {s.Untestable} EXACT lower-bound checks are untestable with these runs (too few runs per cell for the family of checks).";
        if (s.Flagged == 0)
            return $"Sanity checks: {s.Checked} EXACT lower bounds (Bayes clean error; robust error of any classifier) checked run by run, none flagged{power}{untestable}: no run is significantly below what any classifier can reach.";
        var cells = s.FlaggedChecks.Select(c => $"{c.Quantity} at {c.Cell}").Take(5);
        return $"ATTACK/EVALUATION FAILURE: {s.Flagged} of {s.Checked} sanity checks have runs significantly below the EXACT lower bound of any classifier "
            + $"(the attack missed adversarial points or the evaluation is wrong): {string.Join("; ", cells)}{(s.Flagged > 5 ? "; …" : "")}.";
    }

    private static string Certification(CertificationSummary c)
    {
        if (c.Cells == 0)
            return $"Robust errors from the attack alone: none of the {c.Uncertified} attacked cells has a certificate (their runs predate certification), so each robust error is a lower end only.";
        string text = $"Robust errors bracketed [attacked, certified] in {c.Cells} attacked cells: mean width {Fmt.Num(c.MeanWidth, 2)} (widest {Fmt.Num(c.MaxWidth, 2)}), "
            + (c.MeanPlainWidth > c.MeanWidth ? $"{Fmt.Num(c.MeanPlainWidth, 2)} with the plain bound before slope optimization; " : "")
            + $"{Fmt.Num(100 * c.MeanUndecided, 2)}% of test points undecided on average; in {c.Exact} cells no test point is undecided, so the robust error there is known exactly, not estimated";
        if (c.Uncertified > 0) text += $"; {c.Uncertified} cells have runs without a certificate (attack only)";
        return text + ".";
    }

    private static string Heuristic(HeuristicAgreement h)
    {
        if (h.Cells == 0) return $"HEURISTIC agreement (a prediction, not a claim): not compared, since in none of the {h.GaussianCells} Gaussian cells do all runs interpolate.";
        string text = $"HEURISTIC agreement (a prediction, not a claim), over the {h.Cells} Gaussian cells whose runs all interpolate: "
            + $"mean |measured − predicted| {Fmt.Num(h.CleanMeanAbsoluteDeviation, 2)} (clean)";
        if (h.RobustCells > 0) text += $", {Fmt.Num(h.RobustMeanAbsoluteDeviation, 2)} (robust)";
        text += $"; within ±{Fmt.Num(h.Tolerance)} (95% interval): clean {h.CleanWithin}/{h.Cells}";
        if (h.RobustCells > 0) text += $", robust {h.RobustWithin}/{h.RobustCells}";
        text += $". Benign where predicted (≤ β + {Fmt.Num(h.Tolerance)}): clean {Benign(h.BenignClean)}";
        if (h.RobustCells > 0) text += $", robust {Benign(h.BenignRobust)}";
        return text + ".";
    }

    /// <summary>
    /// The answer to "does this normalization make MNIST look more like the synthetic data?", in numbers: per β, the
    /// paired difference over the cells at equal α/M̂ below the cliff whose runs all interpolate (or why there are
    /// none), then, apart, what the other pairs show (not interpolating, α ≈ M̂, α &gt; M̂) as a sensitivity.
    /// </summary>
    public static string Mnist(MnistComparison m)
    {
        const string prefix = "MNIST against the Gaussian model (the HEURISTIC curve at M = M̂/σ̂, which describes an interpolating network; a description, not a claim)";
        var comparisons = m.Paired.Select(p => (p.Beta, p.Other)).Concat(m.Unpaired.Select(u => (u.Beta, u.Other))).Distinct()
            .OrderBy(k => k.Beta).ThenBy(k => k.Other, StringComparer.Ordinal).ToList();
        if (comparisons.Count == 0)
            return prefix + ": no two normalizations to compare at any β (the comparison pairs each normalization with "
                + $"{MnistComparison.UnitNorm} cells at the same β, resolution and α/M̂).";
        string nearFrom = Fmt.Num(MnistComparison.NearCollapseFrom);
        var parts = comparisons.Select(k =>
        {
            var sets = m.Paired.Where(p => p.Beta == k.Beta && p.Other == k.Other).ToDictionary(p => p.Set);
            string text;
            if (sets.TryGetValue(MnistPairSet.Interpolating, out var main))
            {
                var pairs = m.Pairs.Where(p => p.Beta == k.Beta && p.Other == k.Other && p.Set == MnistPairSet.Interpolating).ToList();
                string verdict = !main.Significant ? $"neither significantly closer to the curve nor further from it than {main.Reference}"
                    : main.Difference < 0 ? $"closer to the curve than {main.Reference}" : $"further from the curve than {main.Reference}";
                text = $"at β = {Fmt.Num(k.Beta)}, {k.Other} is {verdict} over the {main.Pairs} pair{(main.Pairs == 1 ? "" : "s")} of cells at equal α/M̂ "
                    + $"below {nearFrom}·M̂ whose runs all interpolate (α/M̂ {string.Join(", ", pairs.Select(p => p.AlphaOverMu).Distinct().Order().Select(r => Fmt.Num(r)))}; "
                    + $"k = {string.Join(", ", pairs.Select(p => p.Resolution).Distinct().Order())}): {k.Other} − {main.Reference} robust gap {Fmt.Signed(main.Difference, 2)}"
                    + (double.IsFinite(main.Low95) ? $", 95% [{Fmt.Signed(main.Low95, 2)}, {Fmt.Signed(main.High95, 2)}]" : " (one pair: no interval)")
                    + (main.Few ? $"; only {main.Pairs} pair{(main.Pairs == 1 ? "" : "s")}, too few for a firm answer" : "");
            }
            else
            {
                var u = m.Unpaired.First(x => x.Beta == k.Beta && x.Other == k.Other);
                text = $"at β = {Fmt.Num(k.Beta)} the comparison of {k.Other} with {u.Reference} cannot be made at this scale: " + (u.ExactPairs == 0
                    ? $"no two cells share an exact α/M̂ and their other settings (α/M̂ is exact, given as alphaOverMu or α = 0, in {u.ReferenceCellsWithExactRatio} of {u.ReferenceCells} "
                        + $"{u.Reference} and {u.OtherCellsWithExactRatio} of {u.OtherCells} {u.Other} cells)"
                    : $"none of the {u.ExactPairs} pairs at equal α/M̂ is below {nearFrom}·M̂ with every run of both cells interpolating "
                        + $"(cells whose runs all interpolate: {u.Reference} {u.ReferenceInterpolating} of {u.ReferenceCells}, {u.Other} {u.OtherInterpolating} of {u.OtherCells})");
            }
            var sensitivity = new[] { (MnistPairSet.NotInterpolating, $"below {nearFrom}·M̂ but not all interpolating"), (MnistPairSet.NearCollapse, $"α ≈ M̂ ({nearFrom} ≤ α/M̂ ≤ 1)"), (MnistPairSet.BeyondCollapse, "α > M̂") }
                .Where(t => sets.ContainsKey(t.Item1))
                .Select(t =>
                {
                    var p = sets[t.Item1];
                    return $"{t.Item2}, {p.Pairs} pair{(p.Pairs == 1 ? "" : "s")}: {Fmt.Signed(p.Difference, 2)}"
                        + (double.IsFinite(p.Low95) ? $" [{Fmt.Signed(p.Low95, 2)}, {Fmt.Signed(p.High95, 2)}]" : "");
                }).ToList();
            if (sensitivity.Count > 0) text += $" (sensitivity, not the answer: {string.Join("; ", sensitivity)})";
            return text;
        });
        return prefix + ": " + string.Join(". ", parts.Select(Capitalize)) + ".";
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static string Benign(BenignWherePredicted b)
        => b.Predicted == 0 ? "none predicted" : $"{b.Benign}/{b.Predicted} cells" + (b.ClearlyNot > 0 ? $" ({b.ClearlyNot} clearly not)" : "");

    private static string Kinds(IReadOnlyList<ClaimKindCount> counts, bool contradicted = false)
        => string.Join(", ", counts.Where(k => k.Tested > 0)
            .Select(k => contradicted ? $"{k.Claim.Name()} {k.Contradicted}/{k.Tested}" : $"{k.Claim.Name()} {k.Tested}"));
}
