using Spectre.Console;
using Verify.Bounds;
using Verify.Simulation.Settings;
using static Verify.Verification.Text.Fmt;

namespace Verify.Verification.Output;

/// <summary>The human-readable `verify check` output.</summary>
internal static class CheckTable
{
    /// <param name="model">The noise model when it is not Gaussian noise with random flips (<see cref="CheckNoiseModel.Analyze"/>);
    /// null for that model, whose output is what it was before the noise options existed.</param>
    public static void Render(RegimeAnalysis a, IAnsiConsole console, CheckNoiseModel? model = null)
    {
        var r = a.Regime;
        var g = model?.Given ?? r; // as given; for another noise law r is the family's scale (M′, α′, d′)
        console.MarkupLine($"[bold]Regime[/] n = {g.N}, d = {Num(g.D)}, m = {g.Width}, M = ||μ|| = {Num(g.Mu)}, α = {Num(g.Alpha)}, β = {Num(g.Beta)}, δ = {Num(g.Delta)}, C = {Num(g.C)}");
        if (model is not null)
        {
            console.MarkupLine(Markup.Escape($"Noise model: {model.Description}; M and α in noise units (σ = 1)."));
            console.MarkupLine(Markup.Escape($"Theory scale: {model.ScaleNote}."));
            if (model.IsScaled)
                console.MarkupLine(Markup.Escape($"The bounds are evaluated at M′ = {Num(r.Mu)}, α′ = {Num(r.Alpha)}, d′ = {Num(r.D)}; each hypothesis there and at M/σ = {Num(g.Mu)}, α/σ = {Num(g.Alpha)}, whichever is harder."));
        }
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
        if (model is { IsScaled: true })
            console.MarkupLine(Markup.Escape(model.AtCovarianceScale.Count > 0
                ? $"Read at M/σ and α/σ, where harder than at M′ and α′: {string.Join(", ", model.AtCovarianceScale)}; the others at M′, α′ (RECONSTRUCTED)."
                : "Every assumption is at least as hard at M′ and α′ as at M/σ and α/σ: read there (RECONSTRUCTED)."));

        var b = new Table().Border(TableBorder.Rounded).Title($"What the theory says at C = {Num(r.C)}");
        b.AddColumns("quantity", "value", "provenance", "note");
        string bound = model is { IsScaled: true } ? "β + 2·exp(−n·M′⁴/(C·d′))" : "β + 2·exp(−n·M⁴/(C·d))";
        b.AddRow("Thm 3.1 clean error ≤", Num(a.CleanBound.Value), "RECONSTRUCTED",
            Markup.Escape(a.CleanBound.Reason ?? bound + ", hypotheses hold at this C" + Vacuous(a.CleanBound.Value)));
        b.AddRow("Thm 3.1 robust error ≤", Num(a.RobustBound.Value), "RECONSTRUCTED",
            Markup.Escape(a.RobustBound.Reason ?? "same bound, R holds" + Vacuous(a.RobustBound.Value)));
        if (model is null)
        {
            b.AddRow("Thm 3.2 collapse (α ≥ M)", a.Collapse ? "[red]yes: every classifier ≥ 1/2[/]" : "no", "STATED", "");
            b.AddEmptyRow();
            b.AddRow("Gaussian Bayes clean error", Num(a.Gaussian.BayesClean), "EXACT", "β + (1−2β)·Φ(−M): no classifier does better");
            b.AddRow("robust error of any classifier ≥", Num(a.Gaussian.RobustLower), a.Collapse ? "STATED (Thm 3.2)" : "EXACT lower bound",
                a.Collapse ? "1/2 at α ≥ M" : "β + (1−2β)·Φ(α − M); a bound, not attained for 0 < α < M when β > 0");
            b.AddRow("robust error of sgn⟨μ, x⟩", Num(a.Gaussian.LinearRobust), "EXACT", "(1−β)·Φ(α−M) + β·Φ(α+M)");
            b.AddEmptyRow();
            b.AddRow("predicted clean error", Num(a.Heuristic.Clean), "HEURISTIC", $"s = {Num(a.Heuristic.S)}; clean labels: {Num(a.Heuristic.CleanLabelClean)}");
            b.AddRow("predicted robust error", Num(a.Heuristic.Robust), "HEURISTIC", $"clean labels: {Num(a.Heuristic.CleanLabelRobust)}");
        }
        else
        {
            // Theorem 3.2's 1/2 needs only the attack; on the noisy labels it needs the flips independent of x too. Flips that are a
            // function of x leave the noisy labels within total variation β of the clean ones: 1/2 − β (docs/theory.md).
            string level = model.FlipsDependOnX ? $"1/2 − β = {Num(model.CollapseLevel)}" : "1/2";
            b.AddRow("Thm 3.2 collapse (α ≥ M)", a.Collapse ? $"[red]yes: every classifier ≥ {level}[/]" : "no", "STATED",
                a.Collapse && model.FlipsDependOnX ? Markup.Escape($"the flips depend on x ({model.FlipsText}): 1/2 on the clean labels, 1/2 − β on the noisy ones, within TV β of them") : "");
            b.AddEmptyRow();
            b.AddRow("optimal clean error (noisy labels)", Num(model.OptimalClean), "EXACT",
                Markup.Escape("the Bayes error against the noisy labels: no classifier does better"
                    + (model.OptimalBelowBeta ? $"; below β = {Num(g.Beta)}: the flips are predictable from x" : "")));
            if (a.Collapse)
                b.AddRow("robust error of any classifier ≥", Num(model.CollapseLevel), "STATED (Thm 3.2)", Markup.Escape($"{level} at α ≥ M"));
        }
        console.Write(b);
        if (model is not null)
            console.MarkupLine(Markup.Escape($"The EXACT Gaussian references and the HEURISTIC prediction and inverse queries are {CheckNoiseModel.ReferencesReason}: not shown."));
        console.MarkupLine("[grey]C is the paper's unknown universal constant: RECONSTRUCTED bounds are evaluated at your C, they are not the paper's numbers.[/]");
        console.WriteLine();

        // For the anisotropic law d enters the theory as d_eff: the dimensions the queries answer are values of d_eff.
        string dim = model is { EffectiveDimension: true } ? "d_eff" : Keys.D.Symbol;
        var i = new Table().Border(TableBorder.Rounded).Title($"Inverse queries at C = {Num(r.C)}, ε = {Num(a.Inverse.Epsilon)}");
        i.AddColumns("question", "answer", "provenance");
        i.AddRow($"smallest {dim} satisfying A2", Num(a.Inverse.MinD), "STATED");
        i.AddRow("largest α satisfying R and A2", a.Inverse.MaxAlpha is null ? "none (A2 fails at α = 0)" : Num(a.Inverse.MaxAlpha), "STATED");
        i.AddRow("largest β allowed by A4", Num(a.Inverse.MaxBeta), "STATED");
        i.AddRow($"largest {dim} with clean bound ≤ β + ε", Num(a.Inverse.MaxDForCleanExcess), "RECONSTRUCTED");
        if (model is null)
        {
            i.AddRow("d where predicted clean error = β + ε", Boundary(a.Inverse.HeuristicCleanBoundaryD), "HEURISTIC");
            i.AddRow($"d where predicted robust error = β + ε (α/M = {Num(r.Mu > 0 ? r.Alpha / r.Mu : double.NaN)})", Boundary(a.Inverse.HeuristicRobustBoundaryD), "HEURISTIC");
        }
        console.Write(i);
        if (model is { EffectiveDimension: true })
            console.MarkupLine(Markup.Escape($"d enters the theory as d_eff (d = {Num(g.D)} gives d_eff = {Num(r.D)}): the dimensions above are values of d_eff, with M′ and α′ at this d."));
        if (model is { IsScaled: true })
            console.MarkupLine(Markup.Escape("The answers keep A2 and R in both readings (M′, α′ and M/σ, α/σ); α is in noise units (σ = 1)."));
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
