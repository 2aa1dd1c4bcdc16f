using System.Globalization;
using System.Text;
using Verify.Bounds;
using Verify.Verification.Analysis;
using Verify.Verification.Cli;
using Verify.Verification.Reports.Figures;

namespace Verify.Verification.Reports;

/// <summary>
/// report.md: the verdict summary first (what a reader takes in at a glance), then the figures, the
/// per-cell regime table, the environment, the configuration as run and links to the data. Every
/// theory value carries its provenance label; every piece of user text is Markdown-escaped.
/// </summary>
public static class MarkdownReport
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
        sb.Append("# Verify report: ").Append(MarkdownText.Span(s.Name)).Append("\n\n");
        VerdictSummary(sb, s);
        if (!string.IsNullOrWhiteSpace(s.Description))
            sb.Append("## Experiment\n\n").Append(MarkdownText.Block(s.Description)).Append("\n\n");
        if (!string.IsNullOrWhiteSpace(s.Notes))
            sb.Append("## Notes\n\n").Append(MarkdownText.Block(s.Notes)).Append("\n\n");
        Figures(sb, figures);
        Cells(sb, s);
        Environment(sb, s);
        Config(sb, s);
        Data(sb);
        return sb.ToString();
    }

    // ---- the top ----------------------------------------------------------------------------

    private static void VerdictSummary(StringBuilder sb, ExperimentSummary s)
    {
        sb.Append("## Verdict summary\n\n");
        var counts = s.Verdicts.Counts;
        int pass = counts.Sum(c => c.Pass), fail = counts.Sum(c => c.Fail), na = counts.Sum(c => c.NotApplicable);
        sb.Append(fail == 0
            ? $"**{pass} of {pass + fail} applicable verdicts pass, none fails** ({na} not applicable) over {s.Cells.Count} cells.\n\n"
            : $"**{fail} of {pass + fail} applicable verdicts FAIL**, {pass} pass ({na} not applicable) over {s.Cells.Count} cells.\n\n");
        foreach (var h in s.Verdicts.Headlines)
            sb.Append("- ").Append(MarkdownText.Inline(h)).Append('\n');
        if (s.Verdicts.Headlines.Count > 0) sb.Append('\n');

        var t = new MarkdownTable(("verdict", false), ("pass", true), ("fail", true), ("not applicable", true), ("result", false));
        foreach (var c in counts)
            t.Row(MarkdownText.Cell(c.Kind), N(c.Pass), N(c.Fail), N(c.NotApplicable),
                c.Fail > 0 ? "✗ **fail**" : c.Pass > 0 ? "✓ pass" : "– not applicable");
        if (t.Count > 0) t.WriteTo(sb);

        sb.Append($"**Phase-boundary slopes.** For each M, the d at which the measured error crosses β + ε (ε = {Fmt.Num(s.Epsilon)}), ")
          .Append($"fitted as log d against log M. The theory's slopes are {Stated}: 4 for the clean error (d ≲ n·M⁴) and 2 for the robust error at fixed α/M (d ≲ n·M²/(α/M)²). ")
          .Append("Both are asymptotic (large M); the HEURISTIC slope column fits the linearized interpolator's own boundary at the same values of M, ")
          .Append("which is what a finite grid should show (the robust boundary bends from slope 4 towards 2 only once α = (α/M)·M is large against the margin's O(1) part).\n\n");
        if (s.Fits.Count == 0)
            sb.Append("No phase boundary could be fitted (it needs at least two values of M, each with a crossing between grid values of d).\n\n");
        else
        {
            var f = new MarkdownTable(("error", false), ("α/M", true), ("fitted slope", true), ("95% interval", false),
                ($"theory slope ({Stated})", true), ("theory inside interval", false), ("HEURISTIC slope at these M", true), ("points", true), ("note", false));
            foreach (var fit in s.Fits)
            {
                bool known = double.IsFinite(fit.SlopeLow95) && double.IsFinite(fit.SlopeHigh95);
                bool inside = known && fit.TheorySlope >= fit.SlopeLow95 && fit.TheorySlope <= fit.SlopeHigh95;
                f.Row(MarkdownText.Cell(fit.Metric), Fmt.Num(fit.AlphaOverMu), Known(fit.Slope, 3),
                    known ? $"[{Fmt.Num(fit.SlopeLow95, 3)}, {Fmt.Num(fit.SlopeHigh95, 3)}]" : "—", Fmt.Num(fit.TheorySlope),
                    !known ? "—" : inside ? "✓ yes" : "✗ **no**", Known(fit.HeuristicSlope, 3), N(fit.Points.Count), MarkdownText.Cell(fit.Note));
            }
            f.WriteTo(sb);
        }

        sb.Append("**Scale.** ").Append(MarkdownText.Span(s.Scale)).Append("\n\n");
        sb.Append($"Verdicts use ε = {Fmt.Num(s.Epsilon)}, a benign tolerance of {Fmt.Num(s.Tolerances.Benign)} around β and a collapse tolerance of ")
          .Append($"{Fmt.Num(s.Tolerances.Collapse)} below 1/2. {Reconstructed} bounds are evaluated at C = {Fmt.Num(s.C)} with δ = {Fmt.Num(s.Delta)}. ")
          .Append($"{s.Cells.Count} cells × {s.SeedsPerCell} seeds, master seed {s.MasterSeed.ToString(CultureInfo.InvariantCulture)}.\n\n");
        Legend(sb);
    }

    private static void Legend(StringBuilder sb)
    {
        sb.Append("> **Provenance labels** (every theory value carries one):  \n")
          .Append($"> **{Stated}**: stated by the paper's summary (the form and variables; the universal constant C is never given).  \n")
          .Append($"> **{Reconstructed}**: the precursor paper's form (Frei, Chatterji, Bartlett 2022) or a standard derivation: plausible, not confirmed.  \n")
          .Append($"> **{Heuristic}**: the linearized-interpolator prediction, without unknown constants: a prediction for comparing shapes, not a bound.  \n")
          .Append($"> **{Exact}**: a closed form that is exact for the Gaussian model (ξ ~ N(0, I), uniform label flips).  \n")
          .Append("> **C is unknown**: the paper's constant C is unspecified. C\\* is the largest C for which the hypotheses of Theorem 3.1 still hold; ")
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
        var common = s.Cells.SelectMany(c => c.Settings.Keys).Distinct(StringComparer.Ordinal)
            .Where(k => k != "seed" && !varying.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (common.Count > 0)
        {
            sb.Append("Settings shared by every cell: ")
              .AppendJoin(", ", common.Select(k => $"{MarkdownText.Span(k)} = {MarkdownText.Span(s.Cells[0].Settings.GetValueOrDefault(k) ?? "—")}"))
              .Append(".\n\n");
        }

        bool showRatio = varying.Contains("alpha") && s.Cells.Any(CellGroups.IsGaussian);
        bool anyNonGaussian = s.Cells.Any(c => !c.Theory.Gaussian);
        var columns = new List<(string, bool)>();
        columns.AddRange(varying.Select(k => (MarkdownText.Cell(CellGroups.Symbol(k) == k ? k : $"{CellGroups.Symbol(k)} ({k})"),
            s.Cells.All(c => c.Settings.GetValueOrDefault(k) is not { } v || double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))));
        if (varying.Count == 0) columns.Add(("cell", false));
        if (showRatio) columns.Add(("α/M", true));
        columns.AddRange(
        [
            ("runs", true),
            ("interpolating", true),
            ("clean test error: mean ± sd [95%]", false),
            ("robust test error: mean ± sd [95%]", false),
            ($"predicted clean / robust ({Heuristic})", false),
            ($"Bayes clean / best robust ({Exact})", false),
            ("C\\* (binding assumption)", false),
            ($"clean bound at C = {Fmt.Num(s.C)} ({Reconstructed})", false),
            ($"robust bound at C = {Fmt.Num(s.C)} ({Reconstructed})", false),
            ($"C needed clean / robust ({Reconstructed})", false),
            ("verdicts", false),
        ]);
        var t = new MarkdownTable(columns.ToArray());
        foreach (var c in s.Cells)
        {
            var row = new List<string>();
            row.AddRange(varying.Select(k => MarkdownText.Cell(c.Settings.GetValueOrDefault(k) ?? "—")));
            if (varying.Count == 0) row.Add(MarkdownText.Cell(c.Key));
            if (showRatio) row.Add(CellGroups.IsGaussian(c) ? Fmt.Num(c.Parameters.AlphaOverMu) : "—");
            var th = c.Theory;
            string dagger = th.Gaussian ? "" : " †";
            row.Add(c.Diverged > 0 ? $"{N(c.Runs)} ({N(c.Diverged)} diverged)" : N(c.Runs));
            row.Add(Percent(c.InterpolationRate));
            row.Add(Stat(c.CleanTest));
            row.Add(Stat(c.RobustTest));
            row.Add($"{Known(th.HeuristicClean, 3)} / {Known(th.HeuristicRobust, 3)}{dagger}");
            row.Add(th.Gaussian ? $"{Fmt.Num(th.BayesClean, 3)} / {Fmt.Num(th.BestRobust, 3)}" : "n/a (not Gaussian)");
            row.Add($"{Known(th.CStar)} ({MarkdownText.Cell(th.BindingAssumption)})");
            row.Add(Bound(th.CleanBoundAtC, th.HypothesesHoldAtC, null));
            row.Add(Bound(th.RobustBoundAtC, th.HypothesesHoldAtC, th.RobustBoundReason));
            row.Add($"{Known(th.CleanCNeeded)} / {Known(th.RobustCNeeded)}");
            row.Add(Marks(c.Verdicts));
            t.Row(row.ToArray());
        }
        t.WriteTo(sb);
        sb.Append("Errors are against the observed (noisy) labels, so β is the floor; mean ± sd over seeds, with the 95% interval of the mean ")
          .Append("(Student t over seeds; a single run's Wilson interval). Verdict marks: ✓ pass, ✗ fail; verdicts that do not apply are left out.");
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

    private static string Marks(IReadOnlyList<Verdict> verdicts)
    {
        var shown = verdicts.Where(v => v.Outcome != Outcome.NotApplicable)
            .Select(v => $"{MarkdownText.Span(v.Kind)} {(v.Outcome == Outcome.Pass ? "✓" : "✗")}").ToList();
        return shown.Count == 0 ? "—" : string.Join(", ", shown);
    }

    // ---- environment, config, data ----------------------------------------------------------

    private static void Environment(StringBuilder sb, ExperimentSummary s)
    {
        var e = s.Environment;
        var m = e.Machine;
        sb.Append("## Environment\n\n");
        int computed = Math.Max(0, e.Runs - e.RunsReused);
        new MarkdownTable(("what", false), ("value", false))
            .Row("CPU", MarkdownText.Cell(m.Cpu))
            .Row("cores", N(m.Cores))
            .Row(".NET runtime", MarkdownText.Cell(m.Runtime))
            .Row("OS", MarkdownText.Cell(m.Os))
            .Row("BLAS backend", MarkdownText.Cell(m.Blas))
            .Row("precision", MarkdownText.Cell(string.Join(", ", e.Precisions)))
            .Row("mode", MarkdownText.Cell(string.Join(", ", e.Modes)))
            .Row("Verify version", MarkdownText.Cell(e.Version))
            .Row("wall time", Fmt.Duration(e.WallSeconds))
            .Row("compute time (sum over runs)", Fmt.Duration(e.ComputeSeconds))
            .Row("runs", $"{N(e.Runs)}: {N(computed)} computed, {N(e.RunsReused)} reused from earlier results")
            .Row("generated", e.Generated.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture))
            .WriteTo(sb);
    }

    private static void Config(StringBuilder sb, ExperimentSummary s)
    {
        sb.Append("## Configuration as run\n\n");
        string cfg = (s.ConfigAsRun ?? "").TrimEnd();
        string fence = MarkdownText.Fence(cfg);
        sb.Append(fence).Append("json\n").Append(cfg).Append('\n').Append(fence).Append("\n\n");
    }

    private static void Data(StringBuilder sb)
    {
        sb.Append("## Data\n\n")
          .Append($"- [{ResultsJson}]({ResultsJson}): this whole summary (cells, theory, fits, verdicts, environment) as JSON.\n")
          .Append($"- [{ResultsCsv}]({ResultsCsv}): one row per run: its settings, seed, metrics and timing.\n");
    }

    /// <summary>A number, or "—" when there is none (NaN).</summary>
    private static string Known(double v, int digits = 4) => double.IsNaN(v) ? "—" : Fmt.Num(v, digits);

    private static string N(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Percent(double rate)
        => double.IsFinite(rate) ? (rate * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "—";
}
