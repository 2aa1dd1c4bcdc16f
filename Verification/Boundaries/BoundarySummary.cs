using Verify.Verification.Analysis;
using Verify.Verification.Output;
using Verify.Verification.Text;
using Verify.Verification.Experiments;

namespace Verify.Verification.Boundaries;

/// <summary>Everything a boundary report shows (boundary.json is this record): the searches, the families' slopes, what produced them.</summary>
internal sealed record BoundarySummary(
    string Name,
    string Description,
    string? Notes,
    string Scale,
    string ConfigAsRun,
    BoundarySpec Spec,
    double Epsilon,
    int SeedsPerPoint,
    IReadOnlyList<BoundaryResult> Curves,
    IReadOnlyList<BoundaryFamily> Families,
    RunEnvironment Environment,
    IReadOnlyList<string> Headlines)
{
    /// <summary>
    /// Per family: the slope over the largest-M half with its interval (pooled across the families, <see cref="PooledSlopes"/>)
    /// and whether the theory's asymptote is inside it, the HEURISTIC slope at the same M, and the local slope at the
    /// largest M with the range its brackets allow.
    /// </summary>
    public static IReadOnlyList<string> Headline(IReadOnlyList<BoundaryFamily> families, IReadOnlyList<BoundaryResult> curves)
    {
        var lines = new List<string>();
        foreach (var f in families)
        {
            string name = (f.Label == "all" ? "" : f.Label) + (f.AlphaOverMu == 0 ? " (no attack: the clean error)" : "") + ": ";
            if (name == ": ") name = "";
            if (f.LargeM is not { } fit)
            {
                lines.Add($"{name}{f.Located.Count} boundary point(s) located of {f.Curves.Count}: no slope ({Outside(f)}).");
                continue;
            }
            string interval = fit.HasInterval ? $"[{Fmt.Num(fit.Low95, 3)}, {Fmt.Num(fit.High95, 3)}] ({fit.Basis})" : $"({fit.Basis})";
            string brackets = $"the brackets at M = {Fmt.Num(fit.MuFrom)} and {Fmt.Num(fit.MuTo)} allow [{Fmt.Num(fit.BracketLow, 3)}, {Fmt.Num(fit.BracketHigh, 3)}]";
            double t = f.TheorySlope;
            string verdict = double.IsNaN(t) ? ""
                : fit.Contains(t) ? $"; the STATED asymptote {Fmt.Num(t)} is inside the interval"
                : fit.HasInterval ? $"; the STATED asymptote {Fmt.Num(t)} is {(fit.BracketsAllow(t) ? "outside the interval but inside what the brackets allow" : "outside both")}"
                : $"; the STATED asymptote {Fmt.Num(t)} is {(fit.BracketsAllow(t) ? "inside" : "outside")} what the brackets allow";
            string line = $"{name}slope of log d on log M over the largest-M half ({fit.Points} points) {Fmt.Num(fit.Slope, 3)} {interval}; {brackets}{verdict}"
                + (double.IsNaN(f.HeuristicLargeM) ? "" : $"; HEURISTIC slope at the same M {Fmt.Num(f.HeuristicLargeM, 3)}");
            if (f.Local.Count > 0)
            {
                var last = f.Local[^1];
                line += $"; local slope between M = {Fmt.Num(last.MuFrom)} and {Fmt.Num(last.MuTo)}: {Fmt.Num(last.Slope, 3)} (brackets allow [{Fmt.Num(last.Low, 3)}, {Fmt.Num(last.High, 3)}]"
                    + (double.IsNaN(f.TheorySlope) ? ")" : $", {Fmt.Num(f.TheorySlope)} {(last.Low <= f.TheorySlope && f.TheorySlope <= last.High ? "inside" : "outside")})")
                    + (double.IsNaN(last.Heuristic) ? "" : $", HEURISTIC {Fmt.Num(last.Heuristic, 3)}");
            }
            lines.Add(line + ".");
        }
        int unlocated = curves.Count(c => !c.Located);
        if (unlocated > 0) lines.Add($"{unlocated} of {curves.Count} curves have no located boundary: " + string.Join(", ", curves.Where(c => !c.Located).GroupBy(c => c.Status).Select(g => $"{g.Count()} {StatusText(g.Key)}")) + ".");
        return lines;
    }

    private static string Outside(BoundaryFamily f) => string.Join(", ", f.Curves.Where(c => !c.Located).GroupBy(c => c.Status).Select(g => $"{g.Count()} {StatusText(g.Key)}"));

    public static string StatusText(BoundaryStatus s) => s switch
    {
        BoundaryStatus.Found => "found to the tolerance",
        BoundaryStatus.Resolved => "resolved as far as the seeds can",
        BoundaryStatus.BelowRange => "below the d range",
        BoundaryStatus.AboveRange => "above the d range",
        BoundaryStatus.NoMeasurement => "without a measurement (all runs diverged)",
        BoundaryStatus.NotMonotone => "not monotone in d (noise above the trend)",
        _ => "still searching (interrupted)",
    };
}
