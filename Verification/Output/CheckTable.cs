using Spectre.Console;
using Verify.Bounds;
using static Verify.Verification.Text.Fmt;

namespace Verify.Verification.Output;

/// <summary>The human-readable `verify check` output.</summary>
internal static class CheckTable
{
    public static void Render(RegimeAnalysis a, IAnsiConsole console)
    {
        var r = a.Regime;
        console.MarkupLine($"[bold]Regime[/] n = {r.N}, d = {Num(r.D)}, m = {r.Width}, M = ||μ|| = {Num(r.Mu)}, α = {Num(r.Alpha)}, β = {Num(r.Beta)}, δ = {Num(r.Delta)}, C = {Num(r.C)}");
        string verdict = a.AllHold
            ? $"[green]The hypotheses of Theorem 3.1 hold for every C ≤ C* = {Num(a.CStar)}[/] (binding: {a.Binding.Id}); your C = {Num(r.C)} is inside."
            : double.IsPositiveInfinity(a.CStar) ? "[green]The hypotheses hold for every C.[/]"
            : $"[red]At C = {Num(r.C)} the hypotheses fail ({string.Join(", ", a.Assumptions.Where(x => !x.Holds).Select(x => x.Id))}).[/] They hold for every C ≤ C* = {Num(a.CStar)} (binding: {a.Binding.Id}).";
        console.MarkupLine(verdict);
        console.MarkupLine($"Interpolation and the clean-error bound need A1–A4 only: C ≤ {Num(a.CleanCStar)}. The robust-error bound needs R too: C ≤ {Num(a.RobustCStar)}.");
        console.WriteLine();

        var t = new Table().Border(TableBorder.Rounded).Title("Assumptions of Theorem 3.1");
        t.AddColumns("id", "condition", "lhs", "rhs at C", "holds at C", "C*", "provenance");
        foreach (var x in a.Assumptions)
            t.AddRow(x.Id, Markup.Escape(x.Expression), Num(x.Lhs), Num(x.Rhs),
                x.Holds ? "[green]yes[/]" : "[red]no[/]", Num(x.CStar), x.Provenance.Label());
        foreach (var x in a.StatedInWordsOnly)
            t.AddRow(x.Id, Markup.Escape(x.Statement), "", "", "[grey]stated in words only[/]", "", x.Provenance.Label());
        console.Write(t);

        var b = new Table().Border(TableBorder.Rounded).Title($"What the theory says at C = {Num(r.C)}");
        b.AddColumns("quantity", "value", "provenance", "note");
        b.AddRow("Thm 3.1 clean error ≤", Num(a.CleanBound.Value), "RECONSTRUCTED",
            Markup.Escape(a.CleanBound.Reason ?? "β + 2·exp(−n·M⁴/(C·d)), hypotheses hold at this C" + Vacuous(a.CleanBound.Value)));
        b.AddRow("Thm 3.1 robust error ≤", Num(a.RobustBound.Value), "RECONSTRUCTED",
            Markup.Escape(a.RobustBound.Reason ?? "same bound, R holds" + Vacuous(a.RobustBound.Value)));
        b.AddRow("Thm 3.2 collapse (α ≥ M)", a.Collapse ? "[red]yes: every classifier ≥ 1/2[/]" : "no", "STATED", "");
        b.AddEmptyRow();
        b.AddRow("Gaussian Bayes clean error", Num(a.Gaussian.BayesClean), "EXACT", "β + (1−2β)·Φ(−M): no classifier does better");
        b.AddRow("robust error of any classifier ≥", Num(a.Gaussian.RobustLower), a.Collapse ? "STATED (Thm 3.2)" : "EXACT lower bound",
            a.Collapse ? "1/2 at α ≥ M" : "β + (1−2β)·Φ(α − M); a bound, not attained for 0 < α < M when β > 0");
        b.AddRow("robust error of sgn⟨μ, x⟩", Num(a.Gaussian.LinearRobust), "EXACT", "(1−β)·Φ(α−M) + β·Φ(α+M)");
        b.AddEmptyRow();
        b.AddRow("predicted clean error", Num(a.Heuristic.Clean), "HEURISTIC", $"s = {Num(a.Heuristic.S)}; clean labels: {Num(a.Heuristic.CleanLabelClean)}");
        b.AddRow("predicted robust error", Num(a.Heuristic.Robust), "HEURISTIC", $"clean labels: {Num(a.Heuristic.CleanLabelRobust)}");
        console.Write(b);
        console.MarkupLine("[grey]C is the paper's unknown universal constant: RECONSTRUCTED bounds are evaluated at your C, they are not the paper's numbers.[/]");
        console.WriteLine();

        var i = new Table().Border(TableBorder.Rounded).Title($"Inverse queries at C = {Num(r.C)}, ε = {Num(a.Inverse.Epsilon)}");
        i.AddColumns("question", "answer", "provenance");
        i.AddRow("smallest d satisfying A2", Num(a.Inverse.MinD), "STATED");
        i.AddRow("largest α satisfying R and A2", a.Inverse.MaxAlpha is null ? "none (A2 fails at α = 0)" : Num(a.Inverse.MaxAlpha), "STATED");
        i.AddRow("largest β allowed by A4", Num(a.Inverse.MaxBeta), "STATED");
        i.AddRow("largest d with clean bound ≤ β + ε", Num(a.Inverse.MaxDForCleanExcess), "RECONSTRUCTED");
        i.AddRow("d where predicted clean error = β + ε", Boundary(a.Inverse.HeuristicCleanBoundaryD), "HEURISTIC");
        i.AddRow($"d where predicted robust error = β + ε (α/M = {Num(r.Mu > 0 ? r.Alpha / r.Mu : double.NaN)})", Boundary(a.Inverse.HeuristicRobustBoundaryD), "HEURISTIC");
        console.Write(i);
    }

    private static string Boundary(double? d) => d switch
    {
        null => "none: not reached at any d",
        { } x when double.IsPositiveInfinity(x) => "every d",
        { } x => Num(x),
    };

    /// <summary>A bound of 1 or more bounds no error rate: say so rather than let it read as a guarantee.</summary>
    internal static string Vacuous(double? bound) => bound >= 1 ? "; vacuous: ≥ 1, it bounds no error rate" : "";
}
