using Verify.Simulation.Settings;
using System.Globalization;
using System.Text;
using Verify.Bounds;
using Verify.Verification.Analysis;
using Verify.Verification.Cells;
using Verify.Verification.Claims;
using Verify.Verification.Output;
using Verify.Verification.Reports.Figures;
using Verify.Verification.Text;

namespace Verify.Verification.Reports;

/// <summary>
/// report.md: the summary first (what a reader takes in at a glance), then the figures, the
/// per-cell regime table, the environment, the configuration as run and links to the data. Every
/// theory value carries its provenance label; every piece of user text is Markdown-escaped.
/// </summary>
internal static class MarkdownReport
{
    public const string ResultsJson = "results.json";
    public const string ResultsCsv = "results.csv";

    private static readonly string Stated = Provenance.Stated.Label();
    private static readonly string Reconstructed = Provenance.Reconstructed.Label();
    private static readonly string Heuristic = Provenance.Heuristic.Label();
    private static readonly string Exact = Provenance.Exact.Label();

    public static string Render(ExperimentSummary s, FigureSet figures)
    {
        var sb = new StringBuilder();
        sb.Append("# Verify report: ").Append(MarkdownText.Span(s.Experiment.Name)).Append("\n\n");
        Summary(sb, s);
        if (!string.IsNullOrWhiteSpace(s.Experiment.Description))
            sb.Append("## Experiment\n\n").Append(MarkdownText.Block(s.Experiment.Description)).Append("\n\n");
        if (!string.IsNullOrWhiteSpace(s.Experiment.Notes))
            sb.Append("## Notes\n\n").Append(MarkdownText.Block(s.Experiment.Notes)).Append("\n\n");
        Figures(sb, figures);
        Cells(sb, s);
        Environment(sb, s.Environment);
        Config(sb, s.Experiment.ConfigAsRun);
        Data(sb);
        return sb.ToString();
    }

    // ---- the top ----------------------------------------------------------------------------

    private static void Summary(StringBuilder sb, ExperimentSummary s)
    {
        sb.Append("## Summary\n\n");
        foreach (var h in s.Findings.Headlines)
            sb.Append("- ").Append(MarkdownText.Inline(h)).Append('\n');
        if (s.Findings.Headlines.Count > 0) sb.Append('\n');
        sb.Append("**Scale.** ").Append(MarkdownText.Span(s.Experiment.Scale)).Append("\n\n");

        ClaimsSection(sb, s);
        NoiseModelsSection(sb, s);
        SanitySection(sb, s);
        HeuristicSection(sb, s);
        MnistSection(sb, s);
        BoundariesSection(sb, s);
        sb.Append($"{s.Cells.Count} cells × {s.Experiment.Seeds.PerCell} seeds, master seed {s.Experiment.Seeds.Master.ToString(CultureInfo.InvariantCulture)}; δ = {Fmt.Num(s.Experiment.Constants.Delta)}, ε = {Fmt.Num(s.Experiment.Constants.Epsilon)}.\n\n");
        Legend(sb);
    }

    private static void ClaimsSection(StringBuilder sb, ExperimentSummary s)
    {
        var c = s.Findings.Claims;
        string a0 = Fmt.Num(RunTest.RunLevel), level = Fmt.Num(ClaimEvaluation.FamilyWiseLevel * 100) + "%";
        sb.Append("### The theorems' claims\n\n")
          .Append("A *claim* is what a theorem asserts at a cell, and only a claim can be contradicted: Theorem 3.1(i) **interpolation** and (ii) the **clean-bound** ")
          .Append($"where A1–A4 hold at C; (iii) the **robust-bound** where A1–A4 and R hold at C (α > 0); Theorem 3.2 **collapse** (robust error ≥ 1/2) where α ≥ M. ")
          .Append($"Bounds are the {Reconstructed} form β + 2·exp(−n·M⁴/(C·d)), and A1 and A3 are {Reconstructed} too, so every outcome below is one of these forms, not of the paper's own. ")
          .Append($"The paper's C is unknown, so every claim is tested at every C of a log grid ({Fmt.Num(CRange.Grid[0])} … {Fmt.Num(CRange.Grid[^1])}, ten points per decade).\n\n")
          .Append("**Run by run.** The theorem speaks of each run (with probability ≥ 1 − δ, *this* network's error is within the bound), so each run is tested on its own ")
          .Append($"test points: it is *beyond* a bound b when its error count is in the exact binomial tail of Bin(test points, b) at most a₀ = {a0}. Under the theorem ")
          .Append($"a run is beyond with probability ≤ δ + a₀, so a cell where X of its k runs are beyond has p = P(Bin(k, δ + a₀) ≥ X). Interpolation counts the runs that stalled ")
          .Append("short of it with a flat loss against Bin(k, δ); the collapse, which holds for every classifier, counts runs significantly below 1/2 against Bin(k, a₀). ")
          .Append($"At each C the claims in scope are tested together, Holm-corrected at family-wise level {level}: a claim is **contradicted** when its adjusted p is at most that. ")
          .Append("A bound ≥ 1 asserts nothing an error rate can violate: such a claim is **vacuous** and not in scope. A claim in scope that no outcome of its runs could ")
          .Append("contradict among the claims in scope (too few runs for the family, or a bound that leaves less room than its test points can show) is **untestable** and not counted as tested. ")
          .Append("**Power**: for each C the summary says what a contradiction needs (so many runs beyond, each by at least so much); an excess smaller than that goes unseen.\n\n")
          .Append("**Brackets.** A robust error is known as a bracket: the attack's error is a lower end (an attack can miss), the certified error an upper end (a point not ")
          .Append("certified may still be robust); interpolation likewise: the attack shows a run failing to fit, only the certificate of every training point shows it fitting. ")
          .Append("The end that could contradict a claim is tested for contradiction; the other end, at the same family-wise level, for confirmation. A claim is **upheld** when neither ")
          .Append("is significantly beyond it; **unresolved** when the bracket straddles it (the contradicting end on its side, the confirming end significantly beyond); ")
          .Append("**beyond-not-significant** when the contradicting end lies beyond it without significance while the other end is significantly beyond. ")
          .Append("Runs without a certificate (written before it existed) rest on the attack alone.\n\n")
          .Append("Theorem 3.1's bounds describe the trained network once it interpolates: in a cell where some run has not interpolated by the last iteration they are ")
          .Append("**not reached**, as is interpolation itself while the loss still falls. Outside its hypotheses (**outside-hypotheses**) or its model ")
          .Append("(**outside-model**: data that is not a Gaussian mixture) a theorem is silent; what is measured there is an observation.\n\n");

        var t = new MarkdownTable(("claim", false), ("tested at C = " + Fmt.Num(s.Experiment.Constants.C), true), ("upheld", true), ("contradicted", true), ("unresolved", true),
            ("beyond, not significant", true), ("untestable", true), ("vacuous", true), ("not reached", true), ("outside hypotheses", true), ("outside model", true),
            ("a contradiction needs", false));
        foreach (var k in c.AtC.ByKind)
            t.Row(MarkdownText.Cell(k.Claim.Name()), N(k.Tested), N(k.Upheld), k.Contradicted > 0 ? $"**{N(k.Contradicted)}**" : "0", N(k.Unresolved),
                N(k.BeyondNotSignificant), N(k.Untestable), N(k.Vacuous), N(k.NotReached), N(k.OutsideHypotheses), N(k.OutsideModel),
                c.AtC.Power.FirstOrDefault(p => p.Claim == k.Claim) is { } p ? MarkdownText.Cell(Needs(p)) : "—");
        if (t.Count > 0) t.WriteTo(sb);

        var varying = CellGroups.VaryingKeys(s.Cells);
        var byKey = s.Cells.ToDictionary(x => x.Key);
        string Cell(ClaimResult r) => MarkdownText.Cell(byKey.TryGetValue(r.Cell, out var cell) ? CellGroups.Describe(cell, varying) : r.Cell);
        if (c.Contradicted.Count > 0)
        {
            sb.Append($"Contradicted at C = {Fmt.Num(s.Experiment.Constants.C)}, with each run's measurement:\n\n");
            ContradictedTable(c.Contradicted, Cell).WriteTo(sb);
        }

        if (c.Reached > 0)
        {
            sb.Append(c.CMin is not { } cMin
                ? $"**C_min: none.** Claims are contradicted at every C up to {Fmt.Num(CRange.Grid[^1])}.\n\n"
                : c.CMinAtGridStart
                    ? $"**C_min ≤ {Fmt.Num(cMin)}**: no claim is contradicted at any C examined; at C = {Fmt.Num(cMin)}, {TestedAt(c.AtCMin)}.\n\n"
                    : $"**C_min = {Fmt.Num(cMin, 3)}**: the smallest C from which on no claim is contradicted; {TestedAt(c.AtCMin)}. "
                      + $"Below it, some claim is significantly beyond the theorem at that C: the data rule out such small constants (for these hypotheses and the {Reconstructed} forms). "
                      + "Just below C_min:\n\n");
            if (c.SetBy.Count > 0) ContradictedTable(c.SetBy, Cell).WriteTo(sb);
            PowerTable(sb, c);
        }
    }

    /// <summary>Per noise model: the claims at C, the C the data allow and what sets it, every claim tested in the report's one family.</summary>
    private static void NoiseModelsSection(StringBuilder sb, ExperimentSummary s)
    {
        var models = s.Findings.NoiseModels;
        if (models.Count == 0) return;
        string c = Fmt.Num(s.Experiment.Constants.C);
        sb.Append("### Per noise model\n\n")
          .Append("The same claims, counted by the noise model of their cell: which labels are flipped (`labelNoise`) and the law of ξ (`noise`). ")
          .Append("Each rule flips exactly a β-fraction of the population with the marginal of x unchanged, so every model is inside the theorem's hypotheses (total variation β from the clean mixture, strongly log-concave noise). ")
          .Append("The claims are not re-tested per model: each is tested once, in the family of all claims above, so a model's contradictions are corrected for every model tried and the largest C_min of the models is the report's. ")
          .Append($"For a non-Gaussian family, A2, A3, R and the bound read M and α in the family's scale and d as its effective dimension ({Reconstructed}, docs/theory.md \"Noise families and label-noise rules\"), ")
          .Append("so a model's cells can be in scope, vacuous or out of scope at other C than the same cells with Gaussian noise.\n\n");
        var varying = CellGroups.VaryingKeys(s.Cells);
        var byKey = s.Cells.ToDictionary(x => x.Key);
        var t = new MarkdownTable(("label-noise rule", false), ("noise family", false), ($"tested at C = {c}", true), ($"contradicted at C = {c}", true), ("the data allow", false),
            ("tested at C_min", true), ("just below C_min, contradicted", false), ("at C_min", false));
        foreach (var m in models)
        {
            var r = m.Claims;
            string setBy = r.SetBy.Count == 0 ? "—" : string.Join("; ", r.SetBy.Select(x =>
                $"{x.Claim.Name()} at {(byKey.TryGetValue(x.Cell, out var cell) ? CellGroups.Describe(cell, varying) : x.Cell)} ({string.Join(", ", x.RunValues.Select(v => Fmt.Num(v, 3)))} against {(x.Claim == ClaimKind.Collapse ? "≥" : "≤")} {Fmt.Num(x.Bound ?? double.NaN, 3)})"));
            t.Row(MarkdownText.Cell(m.LabelNoise) + (m.IsReference ? " (paper)" : ""), MarkdownText.Cell(m.Family), N(r.AtC.Tested),
                r.AtC.Contradicted > 0 ? $"**{N(r.AtC.Contradicted)}**" : "0", MarkdownText.Cell(m.Allows), r.AtCMin is { } at ? N(at.Tested) : "—",
                MarkdownText.Cell(setBy), r.AtCMin is { Tested: > 0 } a ? MarkdownText.Cell(Headlines.Needs(a.Power)) : "—");
        }
        t.WriteTo(sb);
    }

    /// <summary>The claims and the power of their tests at every decade of C: where the data could have contradicted the theorem, and by how much.</summary>
    private static void PowerTable(StringBuilder sb, ClaimsSummary c)
    {
        sb.Append("Across C (every decade of the grid): claims tested, contradicted, untestable and vacuous, and what a contradiction of an error bound needs there.\n\n");
        var t = new MarkdownTable(("C", true), ("tested", true), ("contradicted", true), ("untestable", true), ("vacuous", true), ("not reached", true),
            ("a bound's contradiction needs", false));
        for (int i = 0; i < c.ByC.Count; i += 10)
        {
            var p = c.ByC[i];
            t.Row(Fmt.Num(p.C), N(p.Tested), p.Contradicted > 0 ? $"**{N(p.Contradicted)}**" : "0", N(p.Untestable), N(p.Vacuous), N(p.NotReached),
                p.BoundsNeed is { } need ? $"{Headlines.Runs(need)} each ≥ {Headlines.Excess(need)} above it" : "— (no bound tested)");
        }
        t.WriteTo(sb);
    }

    private static string TestedAt(ClaimCounts? at) => at is null ? "" :
        $"{N(at.Tested)} claims are tested there ({N(at.Untestable)} untestable, {N(at.Vacuous)} vacuous" + (at.Tested > 0 ? $"; {Headlines.Needs(at.Power)})" : ")");

    private static string Needs(KindPower p) => p.Claim switch
    {
        ClaimKind.Interpolation => $"{Headlines.Runs(p.Needs)} stalled",
        ClaimKind.Collapse => $"{Headlines.Runs(p.Needs)} each ≥ {Headlines.Excess(p.Needs)} below 1/2",
        _ => $"{Headlines.Runs(p.Needs)} each ≥ {Headlines.Excess(p.Needs)} above the bound",
    };

    private static MarkdownTable ContradictedTable(IReadOnlyList<ClaimResult> results, Func<ClaimResult, string> cell)
    {
        var t = new MarkdownTable(("cell", false), ("claim", false), ("runs' measurements", false), ("claim at that C", true), ("runs beyond", true),
            ("C\\* of the claim", true), ("p (Holm)", true));
        foreach (var r in results)
            t.Row(cell(r), MarkdownText.Cell(r.Claim.Name()), string.Join(", ", r.RunValues.Select(v => Fmt.Num(v, 3))),
                r.Bound is { } b ? (r.Claim == ClaimKind.Collapse ? "≥ " : "≤ ") + Fmt.Num(b, 3) : "every run fits", $"{N(r.RunsBeyond ?? 0)} of {N(r.RunValues.Count)}",
                Fmt.Num(r.CStar, 3), Fmt.Num(r.PAdjusted ?? double.NaN, 2));
        return t;
    }

    private static void SanitySection(StringBuilder sb, ExperimentSummary s)
    {
        sb.Append("### Sanity checks\n\n")
          .Append($"For Gaussian data no classifier has a clean error below the Bayes error β + (1−2β)·Φ(−M), nor a robust error below β + (1−2β)·Φ(α − M) ")
          .Append($"(1/2 at α ≥ M): both are {Exact} lower bounds, for every run. A run is below one when its error count is in the exact binomial tail at most a₀ = {Fmt.Num(RunTest.RunLevel)}; ")
          .Append("a cell with X of k runs below has p = P(Bin(k, a₀) ≥ X), Holm over all checks of this report that could flag at all, family-wise 5%. ")
          .Append("A flagged cell is an attack or evaluation failure, not evidence about the theorem. ")
          .Append($"{N(s.Findings.Sanity.Checked)} checks, {N(s.Findings.Sanity.Flagged)} flagged, {N(s.Findings.Sanity.Untestable)} untestable")
          .Append(s.Findings.Sanity.Power is { } p ? $"; a flag needs {Headlines.Runs(p)} each ≥ {Headlines.Excess(p)} below the bound.\n\n" : ".\n\n");
        if (s.Findings.Sanity.Flagged > 0)
        {
            var t = new MarkdownTable(("cell", false), ("error", false), ($"lower bound ({Exact})", true), ("runs' measurements", false), ("runs below", true), ("p (Holm)", true));
            foreach (var f in s.Findings.Sanity.FlaggedChecks)
                t.Row(MarkdownText.Cell(f.Cell), f.Quantity, Fmt.Num(f.LowerBound, 4), string.Join(", ", f.RunValues.Select(v => Fmt.Num(v, 4))),
                    $"{N(f.RunsBelow)} of {N(f.RunValues.Count)}", Fmt.Num(f.PAdjusted, 3));
            t.WriteTo(sb);
        }
    }

    private static void HeuristicSection(StringBuilder sb, ExperimentSummary s)
    {
        if (s.Findings.Heuristic.GaussianCells == 0) return;
        sb.Append("### Agreement with the HEURISTIC prediction\n\n")
          .Append($"The linearized interpolator's errors are a {Heuristic} prediction for an interpolating network, not a claim of the theorem, so they are compared ")
          .Append($"only in cells whose runs all interpolate: per cell, measured − predicted (in the cell table), and whether the 95% interval of the measured mean ")
          .Append($"comes within ±{Fmt.Num(s.Experiment.Tolerances.Benign)} of the prediction. \"Benign where predicted\": of those cells whose predicted error is within ")
          .Append($"{Fmt.Num(s.Experiment.Tolerances.Benign)} of β, the ones whose measured interval reaches β + {Fmt.Num(s.Experiment.Tolerances.Benign)}.\n\n");
    }

    private static void MnistSection(StringBuilder sb, ExperimentSummary s)
    {
        if (s.Findings.Mnist.Groups.Count == 0) return;
        string near = Fmt.Num(MnistComparison.NearCollapseFrom);
        sb.Append("### MNIST against the Gaussian model\n\n")
          .Append($"Does MNIST behave like the synthetic data? The synthetic data follow the {Heuristic} curve of the Gaussian model, so each MNIST cell is set ")
          .Append("beside that curve evaluated in noise units (M = M̂/σ̂ and α/σ̂, with M̂ the class-mean half-distance and σ̂ the within-class spread per pixel ")
          .Append("of the cell's training sets). MNIST is outside the theorem's model: these gaps describe how Gaussian-like the digits behave, they test no claim. ")
          .Append($"The {Heuristic} curve is the linearized interpolator's error, a description of an *interpolating* network, so a gap means something only where ")
          .Append("every run of the cell interpolates (robust training error 0). Gap: the mean over those cells of |measured mean − ").Append(Heuristic)
          .Append("|; the mean over every cell, interpolating or not, is beside it as a sensitivity.\n\n");
        var t = new MarkdownTable((Keys.Normalization.Name, false), ("β", true), ("cells", true), ("resolutions", true), ("all runs interpolate", true),
            ("M̂/σ̂", true), ("clean gap (interpolating cells)", true), ("robust gap (interpolating cells)", true), ("robust gap (every cell; sensitivity)", true));
        foreach (var g in s.Findings.Mnist.Groups)
            t.Row(MarkdownText.Cell(g.Normalization), Fmt.Num(g.Beta), N(g.Cells), N(g.Resolutions), $"{N(g.Interpolating)}/{N(g.Cells)}",
                $"{Fmt.Num(g.MuInNoiseUnitsLow, 3)}–{Fmt.Num(g.MuInNoiseUnitsHigh, 3)}", Known(g.CleanGap, 3), Known(g.RobustGap, 3), Fmt.Num(g.RobustGapAllCells, 3));
        t.WriteTo(sb);

        sb.Append("**Paired comparison.** Cells of two normalizations are paired when they share β, resolution and every other setting and have exactly the ")
          .Append("same α/M̂: the experiment gives α as a fraction of M̂ (alphaOverMu), and each run trains at that fraction of the M̂ of its own training set, ")
          .Append("so the fractions match by construction (α given in input units matches only at α = 0). The difference of the robust gaps is negative where ")
          .Append($"the second normalization is closer to the Gaussian curve. **The comparison** is over the pairs below α = {near}·M̂ whose runs all interpolate; ")
          .Append($"the other pairs are a sensitivity, never the answer: below {near}·M̂ with some run not interpolating, near the collapse ({near} ≤ α/M̂ ≤ 1, ")
          .Append($"where the robust error jumps), and beyond it (α > M̂, where Theorem 3.2 says robust learning fails for Gaussian data and no {Heuristic} value describes a trained network).\n\n");
        if (s.Findings.Mnist.Paired.Count > 0)
        {
            var p = new MarkdownTable(("β", true), ("compared", false), ("pairs", false), ("count", true), ("difference of robust gaps", true), ("95% interval (t)", true));
            foreach (var d in s.Findings.Mnist.Paired)
                p.Row(Fmt.Num(d.Beta), MarkdownText.Cell($"{d.Other} − {d.Reference}"), SetName(d.Set, near), N(d.Pairs), Fmt.Signed(d.Difference, 3),
                    double.IsFinite(d.Low95) ? $"[{Fmt.Signed(d.Low95, 3)}, {Fmt.Signed(d.High95, 3)}]" : "—");
            p.WriteTo(sb);
        }
        foreach (var u in s.Findings.Mnist.Unpaired)
            sb.Append($"At β = {Fmt.Num(u.Beta)}, {MarkdownText.Span(u.Other)} against {MarkdownText.Span(u.Reference)}: no interpolating pair below {near}·M̂, so the comparison cannot be made here. ")
              .Append($"{N(u.ExactPairs)} pairs at equal α/M̂; cells whose α/M̂ is exact: {N(u.ReferenceCellsWithExactRatio)} of {N(u.ReferenceCells)} and {N(u.OtherCellsWithExactRatio)} of {N(u.OtherCells)}; ")
              .Append($"cells whose runs all interpolate: {N(u.ReferenceInterpolating)} of {N(u.ReferenceCells)} and {N(u.OtherInterpolating)} of {N(u.OtherCells)}.\n\n");
        if (s.Findings.Mnist.Pairs.Count > 0)
        {
            sb.Append("The pairs, one row each:\n\n");
            var q = new MarkdownTable(("β", true), (Keys.Resolution.Name, true), ("α/M̂", true), ("compared", false), ("robust gap, first", true), ("robust gap, second", true),
                ("difference", true), ("all runs interpolate", false), ("set", false));
            foreach (var pr in s.Findings.Mnist.Pairs)
                q.Row(Fmt.Num(pr.Beta), N(pr.Resolution), Fmt.Num(pr.AlphaOverMu), MarkdownText.Cell($"{pr.Other} − {pr.Reference}"), Fmt.Signed(pr.OtherGap, 3),
                    Fmt.Signed(pr.ReferenceGap, 3), Fmt.Signed(pr.Difference, 3), pr.BothInterpolate ? "yes" : "no", SetName(pr.Set, near));
            q.WriteTo(sb);
        }
    }

    private static string SetName(MnistPairSet set, string near) => set switch
    {
        MnistPairSet.Interpolating => $"**the comparison**: α < {near}·M̂, all runs interpolate",
        MnistPairSet.NotInterpolating => $"sensitivity: α < {near}·M̂, not all interpolating",
        MnistPairSet.NearCollapse => $"sensitivity: α ≈ M̂ ({near} ≤ α/M̂ ≤ 1)",
        _ => "sensitivity: α > M̂",
    };

    private static void BoundariesSection(StringBuilder sb, ExperimentSummary s)
    {
        if (!s.Cells.Any(c => c.Parameters.IsGaussian)) return; // the slopes are a statement about the Gaussian model
        sb.Append("### Phase-boundary slopes\n\n")
          .Append($"For each M, the d at which the measured error crosses β + ε (ε = {Fmt.Num(s.Experiment.Constants.Epsilon)}), ")
          .Append($"fitted as log d against log M. The theory's slopes are {Stated}: 4 for the clean error (d ≲ n·M⁴) and 2 for the robust error at fixed α/M (d ≲ n·M²/(α/M)²). ")
          .Append("Both are asymptotic (large M); the HEURISTIC slope column fits the linearized interpolator's own boundary at the same values of M, ")
          .Append("which is what a finite grid should show.\n\n");
        if (s.Findings.Fits.Count == 0)
            sb.Append("No phase boundary could be fitted (it needs at least two values of M, each with a crossing between grid values of d).\n\n");
        else
        {
            // Fits over cells of another noise law or label rule: a column naming it, and no HEURISTIC slope (‡).
            bool models = s.Findings.Fits.Any(x => x.Model is not null);
            var columns = new List<(string, bool)> { ("error", false), ("α/M", true) };
            if (models) columns.Add(("noise model", false));
            columns.AddRange([("fitted slope", true), ("95% interval", false),
                ($"theory slope ({Stated}, asymptotic)", true), ("theory inside interval", false), ("HEURISTIC slope at these M", true), ("points", true), ("note", false)]);
            var f = new MarkdownTable(columns.ToArray());
            foreach (var fit in s.Findings.Fits)
            {
                bool known = double.IsFinite(fit.SlopeLow95) && double.IsFinite(fit.SlopeHigh95);
                bool inside = known && fit.TheorySlope >= fit.SlopeLow95 && fit.TheorySlope <= fit.SlopeHigh95;
                var row = new List<string> { MarkdownText.Cell(fit.Metric), Fmt.Num(fit.AlphaOverMu) };
                if (models) row.Add(MarkdownText.Cell(fit.Model ?? "Gaussian noise, random flips"));
                row.AddRange([Known(fit.Slope, 3),
                    known ? $"[{Fmt.Num(fit.SlopeLow95, 3)}, {Fmt.Num(fit.SlopeHigh95, 3)}]" : "—", Fmt.Num(fit.TheorySlope),
                    !known ? "—" : inside ? "yes" : "no", fit.Model is null ? Known(fit.HeuristicSlope, 3) : "n/a ‡", N(fit.Points.Count), MarkdownText.Cell(fit.Note)]);
                f.Row(row.ToArray());
            }
            f.WriteTo(sb);
            if (models)
                sb.Append($"‡ not computed: the {Heuristic} prediction is derived for Gaussian noise with random flips only; those cells are fitted apart, per noise model. ")
                  .Append("The theory's slopes apply to them as to every cell (their hypotheses admit these laws and rules), with M and d in the noise family's scale: a factor on M or d that does not vary with them ")
                  .Append("(exactly so for gauss-laplace, nearly so at large d for anisotropic; docs/theory.md, \"How they enter A1–A4 and R\") moves the line, not its slope.\n\n");
            sb.Append("The 95% intervals do not rest on one fit's own scatter: each crossing's ln d varies about its line by a scatter τ ")
              .Append("common to all the fits of this report, estimated from all their residuals together; t on (points − 2·fits) degrees of freedom, ")
              .Append("and no interval when fewer than 3 remain (docs/theory.md, \"Boundary slopes\"). The two grid values of d between which the means cross ")
              .Append("are not used as a bracket: no interval decides the crossing between them, so its uncertainty is all in τ.");
            if (s.Findings.Fits.FirstOrDefault(x => double.IsFinite(x.Slope)) is { } first)
                sb.Append(' ').Append(MarkdownText.Inline(Capitalize(first.IntervalBasis))).Append('.');
            sb.Append("\n\n");
        }
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static void Legend(StringBuilder sb)
    {
        sb.Append("> **Provenance labels** (every theory value carries one):  \n")
          .Append($"> **{Stated}**: stated by the paper's summary (the form and variables; the universal constant C is never given).  \n")
          .Append($"> **{Reconstructed}**: the precursor paper's form (Frei, Chatterji, Bartlett 2022) or a standard derivation: plausible, not confirmed.  \n")
          .Append($"> **{Heuristic}**: the linearized-interpolator prediction, without unknown constants: a prediction for comparing shapes, not a bound.  \n")
          .Append($"> **{Exact}**: a closed form that is exact for the Gaussian model (ξ ~ N(0, I), uniform label flips); an \"{Exact} lower bound\" bounds every classifier and need not be attained.  \n")
          .Append("> **C is unknown**: the paper's constant C is unspecified. C\\* is the largest C at which a claim's hypotheses still hold (A1–A4 for interpolation and the clean bound; A1–A4 and R for the robust bound); ")
          .Append($"bounds \"at C = …\" use the experiment's chosen C and are never the paper's numbers; \"C needed\" is the smallest C at which the {Reconstructed} bound covers the measured mean.\n\n");
    }

    // ---- figures ----------------------------------------------------------------------------

    private static void Figures(StringBuilder sb, FigureSet set)
    {
        sb.Append("## Figures\n\n");
        if (set.Figures.Count == 0)
            sb.Append("No figure: the cells support none (a heatmap needs at least two values of M and of d at one α/M, a curve against d or α at least two values of it, a training-loss plot a recorded curve).\n\n");
        foreach (var f in set.Figures)
        {
            sb.Append("### ").Append(MarkdownText.Span(f.Title)).Append("\n\n");
            sb.Append("![").Append(MarkdownText.Span(f.Title)).Append("](").Append(f.RelativePath).Append(")\n\n");
            sb.Append(MarkdownText.Block(f.Caption)).Append("\n\n");
        }
        if (set.Problems.Count > 0)
        {
            sb.Append("Figures that could not be drawn:\n\n");
            foreach (var p in set.Problems) sb.Append("- ").Append(MarkdownText.Inline(p)).Append('\n');
            sb.Append('\n');
        }
    }

    // ---- cells ------------------------------------------------------------------------------

    private static void Cells(StringBuilder sb, ExperimentSummary s)
    {
        sb.Append("## Cells\n\n");
        if (s.Cells.Count == 0)
        {
            sb.Append("No cells.\n\n");
            return;
        }
        var varying = CellGroups.VaryingKeys(s.Cells);
        var common = s.Cells.SelectMany(c => c.Settings.Given).Distinct()
            .Where(k => k != Keys.Seed && !varying.Contains(k)).OrderBy(k => k.Name, StringComparer.Ordinal).ToList();
        if (common.Count > 0)
        {
            sb.Append("Settings shared by every cell: ")
              .AppendJoin(", ", common.Select(k => $"{MarkdownText.Span(k.Name)} = {MarkdownText.Span(s.Cells[0].Settings.TextOf(k) ?? "—")}"))
              .Append(".\n\n");
        }

        // α/M for every Gaussian-mixture cell, whatever its noise law and label rule (CellGroups.IsGaussian is the figures' narrower set).
        static bool HasRatio(CellSummary c) => !CellGroups.IsMnist(c) && c.Theory.Gaussian && double.IsFinite(c.Parameters.D) && double.IsFinite(c.Parameters.Mu) && c.Parameters.Mu > 0;
        bool showRatio = varying.Contains(Keys.Alpha) && s.Cells.Any(HasRatio);
        bool anyNonGaussian = s.Cells.Any(c => !c.Theory.Gaussian);
        var columns = new List<(string, bool)>();
        columns.AddRange(varying.Select(k => (MarkdownText.Cell(CellGroups.Symbol(k) == k.Name ? k.Name : $"{CellGroups.Symbol(k)} ({k.Name})"),
            k.IsNumber)));
        if (varying.Count == 0) columns.Add(("cell", false));
        if (showRatio) columns.Add(("α/M", true));
        // MNIST cells given α/M̂: each run trained at that fraction of its own M̂, so α is known only from the runs.
        bool showMnistAlpha = s.Cells.Any(c => CellGroups.IsMnist(c) && c.Settings.Has(Keys.AlphaOverMu));
        if (showMnistAlpha) columns.Add(("α = (α/M̂)·M̂: mean over runs (M̂)", true));
        columns.AddRange(
        [
            ("runs", true),
            ("interpolating", true),
            ("clean test error: mean ± sd [95%]", false),
            ("robust test error: mean ± sd [95%]", false),
            ("certified robust error (upper end): mean [95%]; undecided", false),
            ($"predicted clean / robust ({Heuristic})", false),
            ("measured − predicted clean / robust", false),
            ($"Bayes clean / robust lower bound ({Exact} lower bounds)", false),
            ("C\\* clean / robust (binding assumption)", false),
            ($"bound at C = {Fmt.Num(s.Experiment.Constants.C)} clean / robust ({Reconstructed})", false),
            ($"C needed clean / robust ({Reconstructed})", false),
            ($"claims at C = {Fmt.Num(s.Experiment.Constants.C)}", false),
        ]);
        var t = new MarkdownTable(columns.ToArray());
        foreach (var c in s.Cells)
        {
            var row = new List<string>();
            row.AddRange(varying.Select(k => MarkdownText.Cell(c.Settings.TextOf(k) ?? "—")));
            if (varying.Count == 0) row.Add(MarkdownText.Cell(c.Key));
            if (showRatio) row.Add(HasRatio(c) ? Fmt.Num(c.Parameters.AlphaOverMu) : "—");
            if (showMnistAlpha) row.Add(CellGroups.IsMnist(c) && c.Settings.Has(Keys.AlphaOverMu)
                ? $"{Known(c.Parameters.Alpha, 3)} ({Known(c.Parameters.Mu, 3)})" : "—");
            var th = c.Theory;
            string dagger = th.Gaussian ? "" : " †";
            bool attacked = c.Parameters.Alpha > 0;
            row.Add(c.Measured.Diverged > 0 ? $"{N(c.Measured.Runs)} ({N(c.Measured.Diverged)} diverged)" : N(c.Measured.Runs));
            row.Add(Interpolating(c));
            row.Add(Stat(c.Measured.CleanTest) + Flag(c, "clean"));
            row.Add(Stat(c.Measured.RobustTest) + Flag(c, "robust"));
            row.Add(c.Certification.RobustTest is { } up
                ? $"{Fmt.Num(up.Mean, 3)} [{Fmt.Num(up.Low95, 3)}, {Fmt.Num(up.High95, 3)}]; {Percent(c.Certification.Undecided)}" + (c.Certification.Conflicts > 0 ? $" ⚠ {N(c.Certification.Conflicts)} certified yet attacked" : "")
                : "— (no certificate)");
            bool absent = c.Parameters.ReferencesAbsent;
            row.Add(absent ? "n/a ‡" : $"{Known(th.Heuristic.Clean, 3)} / {Known(th.Heuristic.Robust, 3)}{dagger}");
            row.Add(c.Findings.Heuristic is { Interpolating: true } h
                ? $"{Fmt.Signed(h.CleanDeviation)} / {(attacked ? Fmt.Signed(h.RobustDeviation) : "—")}"
                : c.Findings.Heuristic is null ? "—" : "— (not all runs interpolate)");
            row.Add(!th.Gaussian ? "n/a (not Gaussian)"
                : absent ? $"n/a ‡ (optimal clean {Known(th.OptimalClean ?? double.NaN, 3)})"
                : $"{Fmt.Num(th.Exact.BayesClean, 3)} / {Fmt.Num(th.Exact.RobustLowerBound, 3)}");
            row.Add($"{Known(th.Assumptions.CleanCStar)} / {Known(th.Assumptions.RobustCStar)} ({MarkdownText.Cell(th.Assumptions.BindingAssumption)})");
            row.Add($"{Bound(th.AtC.CleanBound, s.Experiment.Constants.C <= th.Assumptions.CleanCStar, null)} / {(attacked ? Bound(th.AtC.RobustBound, s.Experiment.Constants.C <= th.Assumptions.RobustCStar, th.AtC.RobustBoundReason) : "—")}");
            row.Add($"{Needed(th.AtC.CleanCNeeded, th.CleanNeedsMoreThanAllowed)} / {(attacked ? Needed(th.AtC.RobustCNeeded, th.RobustNeedsMoreThanAllowed) : "—")}");
            row.Add(Marks(c.Findings.Claims));
            t.Row(row.ToArray());
        }
        t.WriteTo(sb);
        sb.Append("Interpolating: the share of runs whose training points the evaluation attack could not flip, and in parentheses the share whose training ")
          .Append("points are all certified robust (a lower end: a run certified to interpolate interpolates, whatever an attack may miss). ");
        // β is the floor only where the flips are independent of x; flips that are a function of x can be predicted.
        bool predictableFlips = s.Cells.Any(c => c.Parameters.FlipsDependOnX);
        sb.Append(predictableFlips
            ? "Errors are against the observed (noisy) labels, so β is the floor where the flips are random; where they are a function of x "
              + $"({Keys.LabelNoise.Name} = margin, confident, spurious) the floor is the cell's optimal clean error ({Exact}, shown as \"optimal clean\"), which can be far below β. "
              + "Mean ± sd over seeds, with the 95% interval of the mean "
            : "Errors are against the observed (noisy) labels, so β is the floor; mean ± sd over seeds, with the 95% interval of the mean ")
          .Append("(Student t over seeds; a single run's Wilson interval). The robust test error is bracketed: the attack's error is its lower end, the ")
          .Append("certified error (test points not certified robust by the linear-relaxation bound) its upper end; \"undecided\" is the share of test points in between. ")
          .Append("Claims at C: ✓ upheld, ✗ contradicted, ? unresolved (the bracket straddles the claim), (✗) beyond the claim but not significantly, ")
          .Append("untestable (no outcome of these runs could contradict it), vacuous (bound ≥ 1), … not reached; claims outside their ")
          .Append("hypotheses at C or outside the model are left out. ⚠: significantly below the EXACT lower bound (sanity check flagged). ")
          .Append("C needed marked \"> C\\*\": no C both satisfies the hypotheses there and covers the measured mean.");
        var absentCells = s.Cells.Where(c => c.Parameters.ReferencesAbsent).ToList();
        if (absentCells.Count > 0)
            sb.Append(" ‡ not Gaussian noise with random flips (")
              .Append(MarkdownText.Cell(CellParameters.DescribeModels(absentCells.Select(c => c.Parameters))))
              .Append($"): the {Exact} Gaussian references (Bayes error, robust lower bound below α = M, robust error of sgn⟨μ, x⟩), the sanity checks built on them ")
              .Append($"and the {Heuristic} prediction are derived for Gaussian noise with random flips only, so they are not shown; the theorem's claims are tested ")
              .Append("as in every cell (its hypotheses admit these laws and rules: strongly log-concave noise, TV ≤ β). \"optimal clean\" is the ")
              .Append($"Bayes clean error against the cell's noisy labels ({Exact}); where the flips are a function of x, the collapse claim is at 1/2 − β (docs/theory.md).");
        var scaled = s.Cells.Select(c => c.Parameters.FamilyScaleNote()).OfType<string>().Distinct().ToList();
        if (scaled.Count > 0)
            sb.Append(" Regime in the noise family's scale (A1–A4, R, C\\*, the bounds at C, C needed and the claims; docs/theory.md, \"How they enter A1–A4 and R\"): ")
              .AppendJoin("; ", scaled.Order(StringComparer.Ordinal).Select(MarkdownText.Cell)).Append('.');
        if (anyNonGaussian)
            sb.Append(" † outside the theorem's Gaussian assumptions (for MNIST, M is the empirical class-mean half-distance M̂, and the theory is evaluated in noise units, at M̂/σ̂ and α/σ̂ with σ̂ the within-class spread per pixel).");
        sb.Append("\n\n");
    }

    private static string Stat(Statistic st)
    {
        if (st.Count == 0 || !double.IsFinite(st.Mean)) return "—";
        string sd = st.Count >= 2 && double.IsFinite(st.Sd) ? $" ± {Fmt.Num(st.Sd, 2)}" : "";
        return $"{Fmt.Num(st.Mean, 3)}{sd} [{Fmt.Num(st.Low95, 3)}, {Fmt.Num(st.High95, 3)}]";
    }

    private static string Bound(double? value, bool hypothesesHold, string? reason)
    {
        if (value is not { } v) return reason is null ? "none" : "none: " + MarkdownText.Span(reason);
        return hypothesesHold ? Fmt.Num(v, 3) : $"{Fmt.Num(v, 3)} (hypotheses fail at C)";
    }

    private static string Marks(IReadOnlyList<ClaimResult> claims)
    {
        var shown = claims.Where(c => c.Outcome.InScope() || c.Outcome is ClaimOutcome.NotReached or ClaimOutcome.Vacuous)
            .Select(c => $"{c.Claim.Name()} {c.Outcome switch
            {
                ClaimOutcome.Upheld => "✓",
                ClaimOutcome.Contradicted => "✗",
                ClaimOutcome.Unresolved => "?",
                ClaimOutcome.BeyondNotSignificant => "(✗)",
                ClaimOutcome.Untestable => "untestable",
                ClaimOutcome.Vacuous => "vacuous",
                _ => "…",
            }}").ToList();
        return shown.Count == 0 ? "—" : string.Join(", ", shown);
    }

    private static string Flag(CellSummary c, string quantity) => c.Findings.Sanity.Any(x => x.Quantity == quantity && x.Flagged) ? " ⚠" : "";

    private static string Needed(double value, bool beyondCStar) => Known(value) + (beyondCStar ? " (> C\\*)" : "");


    // ---- environment, config, data ----------------------------------------------------------

    /// <summary>What produced the numbers (also the boundary report's).</summary>
    internal static void Environment(StringBuilder sb, RunEnvironment e)
    {
        var m = e.Machine;
        sb.Append("## Environment\n\n");
        int computed = Math.Max(0, e.Runs - e.RunsReused);
        new MarkdownTable(("what", false), ("value", false))
            .Row("CPU", MarkdownText.Cell(m.Cpu))
            .Row("cores", N(m.Cores))
            .Row(".NET runtime", MarkdownText.Cell(m.Runtime))
            .Row("OS", MarkdownText.Cell(m.Os))
            .Row("BLAS backend", MarkdownText.Cell(m.Blas))
            .Row(Keys.Precision.Name, MarkdownText.Cell(string.Join(", ", e.Precisions)))
            .Row(Keys.Mode.Name, MarkdownText.Cell(string.Join(", ", e.Modes)))
            .Row("Verify version", MarkdownText.Cell(e.Version))
            .Row("wall time", Fmt.Duration(e.WallSeconds))
            .Row("compute time (sum over runs)", Fmt.Duration(e.ComputeSeconds))
            .Row("runs", $"{N(e.Runs)}: {N(computed)} computed, {N(e.RunsReused)} reused from earlier results")
            .Row("generated", e.Generated.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture))
            .WriteTo(sb);
    }

    internal static void Config(StringBuilder sb, string? configAsRun)
    {
        sb.Append("## Configuration as run\n\n");
        string cfg = (configAsRun ?? "").TrimEnd();
        string fence = MarkdownText.Fence(cfg);
        sb.Append(fence).Append("json\n").Append(cfg).Append('\n').Append(fence).Append("\n\n");
    }

    private static void Data(StringBuilder sb)
    {
        sb.Append("## Data\n\n")
          .Append($"- [{ResultsJson}]({ResultsJson}): this whole summary (the experiment, the environment, every cell with its theory and claims, the findings across cells; schema verify.results/2) as JSON.\n")
          .Append($"- [{ResultsCsv}]({ResultsCsv}): one row per run: its settings, seed, metrics and timing.\n");
    }

    /// <summary>A number, or "—" when there is none (NaN).</summary>
    private static string Known(double v, int digits = 4) => double.IsNaN(v) ? "—" : Fmt.Num(v, digits);

    private static string N(int v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>The interpolation rate as a bracket: under the attack (upper end) and certified (lower end), e.g. "100% (certified 67%)".</summary>
    private static string Interpolating(CellSummary c)
        => Percent(c.Measured.InterpolationRate) + (double.IsFinite(c.Certification.InterpolationRate) ? $" (certified {Percent(c.Certification.InterpolationRate)})" : " (no certificate)");

    private static string Percent(double rate)
        => double.IsFinite(rate) ? (rate * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "—";
}
