using Verify.Simulation.Settings;
using Spectre.Console;
using Verify.Bounds.Gaussian;
using Verify.Bounds.Heuristic;
using Verify.Verification.Analysis;
using Verify.Verification.Results;
using static Verify.Verification.Text.Fmt;
using Verify.Verification.Cells;

namespace Verify.Verification.Output;

/// <summary>The human-readable result of one run, with the theory's numbers beside the measurements for Gaussian data.</summary>
internal static class TrainTable
{
    public static void Render(RunRecord rec, IAnsiConsole console)
    {
        var s = rec.Settings;
        var p = rec.Provenance;
        console.MarkupLine($"[bold]Run[/] {Markup.Escape(p.Dataset)}: " + Markup.Escape(string.Join(", ",
            new Setting[] { Keys.N, Keys.D, Keys.Mu, Keys.Beta, Keys.Width, Keys.Iterations }.Where(s.Has).Select(k => $"{k.Name} = {s.TextOf(k)}"))) + $", α = {Num(p.Alpha)}"
            + (s.Has(Keys.AlphaOverMu) && p.SignalNorm is { } muHat ? Markup.Escape($" (= {s.TextOf(Keys.AlphaOverMu)} · M̂, M̂ = {Num(muHat)} measured on this run's training set)") : ""));
        console.MarkupLine(Markup.Escape($"mode {p.Mode} (R = {p.BasisDimension}), {p.Precision}, {p.Backend}, seed {rec.Seed}, verify {p.Version}"));
        if (rec.Metrics is not { } m)
        {
            console.MarkupLine($"[red]Diverged:[/] {Markup.Escape(rec.Divergence ?? "")}");
            return;
        }
        console.MarkupLine(m.Interpolates
            ? "[green]Interpolates:[/] robust training error 0 under the evaluation attack (every noisy label fitted robustly)."
            : $"[yellow]Does not interpolate:[/] robust training error {Num(m.RobustTrain.Rate)} ({m.RobustTrain.Errors}/{m.RobustTrain.Total}).");
        if (m.RobustTrainCertified is { } trainUp)
            console.MarkupLine(m.CertifiedInterpolates == true
                ? "[green]Certified to interpolate:[/] every training point proved robust (robust training error exactly 0)."
                : "[yellow]Not certified to interpolate:[/] " + Markup.Escape($"{trainUp.Errors} of {trainUp.Total} training points not proved robust: robust training error in [{Num(m.RobustTrain.Rate)}, {Num(trainUp.Rate)}]."));

        // The theory in noise units (M/σ, α/σ), computed where the reports compute it.
        var cell = CellParameters.Of(s, [rec]);
        bool gaussian = cell.GaussianRandomFlips && cell.HasTheory; // the Gaussian references and the HEURISTIC are derived for that model only
        var t = new Table().Border(TableBorder.Rounded);
        t.AddColumns("metric", "measured", "95% Wilson", "vs clean labels");
        if (gaussian) t.AddColumns("HEURISTIC prediction", "EXACT reference");
        HeuristicPrediction? h = gaussian ? cell.Heuristic() : null;
        double beta = cell.Beta, mu = cell.MuInNoiseUnits, alpha = cell.AlphaInNoiseUnits;
        void Row(string name, Estimate e, Estimate? cl, double? pred, double? predCl, string reference)
        {
            var cells = new List<string> { name, Num(e.Rate), $"[{Num(e.WilsonLow)}, {Num(e.WilsonHigh)}]", cl is null ? "" : Num(cl.Rate) };
            if (gaussian) cells.AddRange([pred is null ? "" : $"{Num(pred)} (clean labels {Num(predCl)})", reference]);
            t.AddRow(cells.Select(Markup.Escape).ToArray());
        }
        Row("clean test error", m.CleanTest, m.CleanTestCleanLabels, h?.Clean, h?.CleanLabelClean,
            gaussian ? $"Bayes error {Num(GaussianReference.BayesClean(mu, beta))} (EXACT lower bound)" : "");
        Row("robust test error", m.RobustTest, m.RobustTestCleanLabels, h?.Robust, h?.CleanLabelRobust,
            gaussian ? $"any classifier ≥ {Num(GaussianReference.RobustLower(mu, alpha, beta))} (EXACT lower bound)" : "");
        if (m.RobustTestCertified is { } up)
            Row("  certified (upper end)", up, null, null, null, "");
        Row("robust training error", m.RobustTrain, null, null, null, "");
        if (m.RobustTrainCertified is { } trainCertified)
            Row("  certified (upper end)", trainCertified, null, null, null, "");
        Row("clean training error", m.CleanTrain, null, null, null, "");
        console.Write(t);
        console.MarkupLine(Markup.Escape($"robust training loss {Num(m.RobustTrainLoss)} (curve: {Num(rec.Curve.RobustLoss.FirstOrDefault())} → {Num(rec.Curve.RobustLoss.LastOrDefault())} over {rec.Curve.Iteration.Length} recorded iterations)"));
        console.MarkupLine(Markup.Escape($"training attack {p.TrainAttack}; evaluation attack {p.EvalAttack}; mean PGD steps per iteration {Num(m.MeanPgdStepsPerIteration)}; zero-gradient steps {m.ZeroGradientSteps}"));
        if (m.Certification is { } c)
            console.MarkupLine(Markup.Escape(Certificate("certificate", "test points", "robust error", m.RobustTest, m.RobustTestCertified, c)
                + (m.TrainCertification is null && rec.Timings.CertificationSeconds is { } cs ? $"; certification took {Duration(cs)}" : "")));
        if (m.TrainCertification is { } tc)
            console.MarkupLine(Markup.Escape(Certificate("training certificate", "training points", "robust training error", m.RobustTrain, m.RobustTrainCertified, tc)
                + (rec.Timings.CertificationSeconds is { } cs ? $"; certifying test and training points took {Duration(cs)}" : "")));
        if (m.TrainingAttackLoss is { } tl && m.ReferenceAttackLoss is { } rl)
            console.MarkupLine(Markup.Escape($"attack gap on the final model: robust training loss {Num(tl)} under the training attack, {Num(rl)} under PGD-200 (2 runs)"));
        console.MarkupLine(Markup.Escape($"η = {Num(p.LearningRate)}, ω = {Num(p.InitScale)}, {p.Activation}"));
        var tm = rec.Timings;
        console.MarkupLine(Markup.Escape($"time: setup {Duration(tm.SetupSeconds)}, training {Duration(tm.TrainingSeconds)} ({Num(tm.SecondsPerIteration * 1000)} ms/iteration), evaluation {Duration(tm.EvaluationSeconds)}"));
    }

    /// <summary>One certificate's line: attacked, certified (plain and optimized), undecided, and the bracket they give.</summary>
    private static string Certificate(string name, string points, string error, Estimate attacked, Estimate? notCertified, CertificationRecord c)
        => $"{name}: the attack flipped {attacked.Errors} of {attacked.Total} {points}, the certificate proved {c.Certified} robust"
            + (c.OptimizeSteps > 0 ? $" ({c.CertifiedPlain} by the plain bound, the rest with {c.OptimizeSteps} slope-optimization steps)" : "")
            + $", {c.Undecided} undecided: true {error} in [{Num(attacked.Rate)}, {Num(notCertified?.Rate ?? double.NaN)}]"
            + (c.Conflicts > 0 ? $"; {c.Conflicts} points both certified and flipped: a BUG" : "");
}
