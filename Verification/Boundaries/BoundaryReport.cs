using System.Globalization;
using System.Text;
using Verify.Bounds;
using Verify.Verification.Output;
using Verify.Verification.Reports;
using Verify.Verification.Results;
using Verify.Verification.Text;
using Verify.Verification.Experiments;

namespace Verify.Verification.Boundaries;

/// <summary>
/// The boundary report: boundary.md, boundary.html (self-contained), figures/*.svg and boundary.json, each
/// written atomically, data before reports. Named boundary.* so that it sits beside an experiment's grid report.
/// </summary>
internal static class BoundaryReport
{
    public const string JsonFile = "boundary.json";

    /// <summary>The files the boundary report writes or replaces in <paramref name="outDir"/> (checked before the work).</summary>
    public static IEnumerable<string> Targets(string outDir) =>
        new[] { JsonFile, "boundary.md", "boundary.html" }.Concat(ReportWriter.ExistingFigures(outDir));

    public static (string Markdown, string Html, string Json) Write(BoundarySummary s, string outDir)
    {
        string dir = Path.GetFullPath(outDir);
        var figures = BoundaryFigures.Draw(s);
        foreach (var f in figures) AtomicFile.WriteAllText(Path.Combine(dir, "figures", f.FileName), f.Svg);
        string json = Path.Combine(dir, JsonFile);
        AtomicFile.WriteAllText(json, Json.Write(s));
        string markdown = Render(s, figures);
        string md = Path.Combine(dir, "boundary.md"), html = Path.Combine(dir, "boundary.html");
        AtomicFile.WriteAllText(md, markdown);
        AtomicFile.WriteAllText(html, HtmlReport.Render(markdown, s.Name + " (boundaries)", figures));
        return (md, html, json);
    }

    public static string Render(BoundarySummary s, IReadOnlyList<Reports.Figures.Figure> figures)
    {
        var sb = new StringBuilder();
        string heuristic = Provenance.Heuristic.Label(), stated = Provenance.Stated.Label();
        sb.Append("# Verify boundary report: ").Append(MarkdownText.Span(s.Name)).Append("\n\n## Summary\n\n");
        foreach (var h in s.Headlines) sb.Append("- ").Append(MarkdownText.Inline(h)).Append('\n');
        sb.Append("\n**Scale.** ").Append(MarkdownText.Span(s.Scale)).Append("\n\n");
        string threshold = s.Spec.Threshold is { } t ? Fmt.Num(t) : $"β + ε = β + {Fmt.Num(s.Epsilon)}";
        sb.Append($"**The search.** For each curve (a value of every axis but d), the d at which the seed-mean {BoundarySpec.Describe(s.Spec.Metric)} crosses {threshold}, ")
          .Append($"going up in d, with d in [{Fmt.Num(s.Spec.DFrom)}, {Fmt.Num(s.Spec.DTo)}] and {s.SeedsPerPoint} seed(s) per d. A measurement is *decided* when its 95% interval ")
          .Append("(the seeds' t interval, widened to at least the binomial interval of all their test points pooled) lies entirely on one side of the threshold. ")
          .Append(s.Spec.StartAtHeuristic
              ? $"The first bracket is the HEURISTIC crossing ± {Fmt.Num(s.Spec.StartWidth)} decade(s) (it only chooses where to measure first), widened outwards by doubling steps until one decided measurement lies on each side. "
              : "The first bracket is the range's ends. ")
          .Append($"Bisection in log₁₀ d then halves the bracket until it is {Fmt.Num(s.Spec.Tolerance)} wide (found). Where a midpoint is undecided, the bracket still closes from both sides ")
          .Append("to within the tolerance of the undecided points (resolved: the seeds cannot place the crossing more finely). ")
          .Append("The crossing is where the measured means, joined linearly in log d, first reach the threshold; the bracket, whose ends are decided, is where it may lie.\n\n");
        sb.Append($"> **{stated}**: the paper's scaling laws, clean error near β when d ≲ n·M⁴ (slope 4 in log M – log d) and robust error at fixed α/M when d ≲ n·M²/(α/M)² (slope 2); ")
          .Append("they hold up to the unknown constant C and only asymptotically, so the measured slope is compared with them where M is large.  \n")
          .Append($"> **{heuristic}**: the linearized-interpolator prediction of the same crossing, without fitted constants.\n\n");
        if (!string.IsNullOrWhiteSpace(s.Description)) sb.Append("## Experiment\n\n").Append(MarkdownText.Block(s.Description)).Append("\n\n");
        if (!string.IsNullOrWhiteSpace(s.Notes)) sb.Append("## Notes\n\n").Append(MarkdownText.Block(s.Notes)).Append("\n\n");

        sb.Append("## Figures\n\n");
        if (figures.Count == 0) sb.Append("No figure: no search located a boundary.\n\n");
        foreach (var f in figures)
            sb.Append("### ").Append(MarkdownText.Span(f.Title)).Append("\n\n![").Append(MarkdownText.Span(f.Title)).Append("](").Append(f.RelativePath).Append(")\n\n")
              .Append(MarkdownText.Block(f.Caption)).Append("\n\n");

        Slopes(sb, s, heuristic, stated);
        Points(sb, s, heuristic);
        MarkdownReport.Environment(sb, s.Environment);
        MarkdownReport.Config(sb, s.ConfigAsRun);
        sb.Append("## Data\n\n").Append($"- [{JsonFile}]({JsonFile}): every search (each measurement with its interval), the fits and the environment as JSON; the runs are ordinary results, reused by `verify report`.\n");
        return sb.ToString();
    }

    private static void Slopes(StringBuilder sb, BoundarySummary s, string heuristic, string stated)
    {
        sb.Append("## Slopes\n\n");
        var t = new MarkdownTable(("curve family", false), ("located", true), ("slope, all M [95%]", true), ($"{heuristic}, all M", true),
            ("slope, largest-M half [95%]", true), ("end brackets allow", true), ($"{heuristic}, largest-M half", true), ($"{stated} asymptote", true));
        foreach (var f in s.Families)
            t.Row(MarkdownText.Cell(f.Label), $"{f.Located.Count}/{f.Curves.Count}", Fit(f.All), Fmt.Num(f.HeuristicAll, 3), Fit(f.LargeM),
                f.LargeM is { } l ? $"[{Fmt.Num(l.BracketLow, 3)}, {Fmt.Num(l.BracketHigh, 3)}]" : "—", Fmt.Num(f.HeuristicLargeM, 3),
                double.IsNaN(f.TheorySlope) ? "—" : Fmt.Num(f.TheorySlope));
        t.WriteTo(sb);
        sb.Append("Least squares of ln d on ln M over each family's located boundaries; the largest-M half is the upper half of its points by M (at least 3). ")
          .Append("The 95% intervals do not rest on one family's own scatter: each crossing's ln d varies about its family's line by its bracket ")
          .Append("(the crossing anywhere in it with equal chance: SD = width/√12) plus a scatter τ common to all families of this report, ")
          .Append("estimated from all their residuals together (the part the brackets do not explain, by moments, not below 0); the slope's interval is ")
          .Append("t on (points − 2·families) degrees of freedom, and there is none when fewer than 3 remain (docs/theory.md, \"Boundary slopes\"); ")
          .Append("τ = 0 means the brackets alone account for the scatter. ")
          .Append("\"End brackets allow\" is the range of slopes between the half's first and last M with each crossing anywhere in its bracket.\n\n");
        var all = s.Families.Select(f => f.All).FirstOrDefault(x => x is not null);
        var half = s.Families.Select(f => f.LargeM).FirstOrDefault(x => x is not null);
        if (all is not null) sb.Append("- all M: ").Append(MarkdownText.Inline(all.Basis)).Append('\n');
        if (half is not null) sb.Append("- largest-M half: ").Append(MarkdownText.Inline(half.Basis)).Append('\n');
        static string Sd(SlopeFit f) => double.IsNaN(f.OwnScatter) ? "—" : $"{Fmt.Num(f.OwnScatter, 2)} (model {Fmt.Num(f.ExpectedScatter, 2)})";
        var own = s.Families.Where(f => f.All is not null && f.LargeM is not null).Select(f => $"{f.Label}: {Sd(f.All!)} / {Sd(f.LargeM!)}").ToList();
        if (own.Count > 0)
            sb.Append("- each family's own residual SD in ln d, and in parentheses the one the common model (its brackets and τ) expects of it, all M / largest-M half ")
              .Append("(— under 3 points): ").Append(MarkdownText.Inline(string.Join("; ", own))).Append('\n');
        sb.Append('\n');
        var local = new MarkdownTable(("curve family", false), ("M from", true), ("M to", true), ("local slope", true), ("brackets allow", true), ($"{heuristic}", true));
        foreach (var f in s.Families)
            foreach (var l in f.Local)
                local.Row(MarkdownText.Cell(f.Label), Fmt.Num(l.MuFrom), Fmt.Num(l.MuTo), Fmt.Num(l.Slope, 3), $"[{Fmt.Num(l.Low, 3)}, {Fmt.Num(l.High, 3)}]", Fmt.Num(l.Heuristic, 3));
        if (local.Count > 0)
        {
            sb.Append("### Local slopes\n\n");
            local.WriteTo(sb);
            sb.Append("Between neighbouring M: Δ ln d / Δ ln M of the crossings; \"intervals allow\" is the range from the lower end of one crossing interval to the upper end of the other (not a confidence interval).\n\n");
        }
    }

    private static string Fit(SlopeFit? f) => f is null ? "—"
        : !f.HasInterval ? $"{Fmt.Num(f.Slope, 3)} (no interval)" : $"{Fmt.Num(f.Slope, 3)} [{Fmt.Num(f.Low95, 3)}, {Fmt.Num(f.High95, 3)}]";

    private static void Points(StringBuilder sb, BoundarySummary s, string heuristic)
    {
        sb.Append("## Boundary points\n\n");
        var t = new MarkdownTable(("curve", false), ("status", false), ("d below (mean)", true), ("undecided: d (mean [95%])", true), ("d above (mean)", true),
            ("crossing", true), ("bracket", true), ($"{heuristic} d", true), ("measurements", true));
        foreach (var r in s.Curves)
            t.Row(MarkdownText.Cell(r.Curve.Label), BoundarySummary.StatusText(r.Status), Side(r.Low),
                r.Undecided.Count == 0 ? "—" : string.Join("; ", r.Undecided.Select(u => $"{Fmt.Num(u.D, 3)} ({Fmt.Num(u.Mean, 3)} [{Fmt.Num(u.Low95, 3)}, {Fmt.Num(u.High95, 3)}])")), Side(r.High),
                double.IsNaN(r.Estimate) ? "—" : Fmt.Num(r.Estimate, 3), r.Located ? $"[{Fmt.Num(r.CrossingLow, 3)}, {Fmt.Num(r.CrossingHigh, 3)}]" : "—",
                r.Heuristic is { } h ? (double.IsPositiveInfinity(h) ? "∞" : Fmt.Num(h, 3)) : "—", r.Measured.Count.ToString(CultureInfo.InvariantCulture));
        t.WriteTo(sb);
        sb.Append("\"d below\" is the largest d measured at or under the threshold, \"d above\" the smallest d measured over it, each with its seed-mean; ")
          .Append("\"undecided\" the midpoint whose interval contains the threshold (resolved searches).\n\n");
    }

    private static string Side(BoundaryMeasurement? m) => m is { } x ? $"{Fmt.Num(x.D, 3)} ({Fmt.Num(x.Mean, 3)})" : "—";
}
