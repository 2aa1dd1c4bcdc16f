using Verify.Simulation.Settings;
using System.CommandLine;
using Verify.Bounds;
using Verify.Verification.Output;
using Verify.Verification.Settings;
using Verify.Verification.Text;

namespace Verify.Verification.Commands;

/// <summary>`verify check`: the regime calculator.</summary>
internal static class CheckCommand
{
    public static Command Create(CliContext ctx)
    {
        var d0 = Regime.Default;
        // The quantities a run has too take their names and meanings from the settings table; check's
        // ranges are the theory's (d up to 1e15, as a real: the calculator is not limited to what can be simulated).
        var n = OptionFactory.Integer(Keys.N.OptionName, Keys.N.Description + " (integer ≥ 1)", d0.N, "an integer ≥ 1");
        var d = OptionFactory.Number(Keys.D.OptionName, Keys.D.Description + " (whole number in [1, 1e15])", d0.D, "a whole number in [1, 1e15]");
        var m = OptionFactory.Integer(Keys.Width.OptionName, Keys.Width.Description + " (even integer ≥ 2; no bound depends on it)", d0.Width, "an even integer ≥ 2");
        var mu = OptionFactory.Number(Keys.Mu.OptionName, Keys.Mu.Description + " (in units of the noise standard deviation, ≥ 0)", d0.Mu, "a finite number ≥ 0");
        var alpha = OptionFactory.Number(Keys.Alpha.OptionName, Keys.Alpha.Description + " (same units as ||μ||, ≥ 0)", d0.Alpha, "a finite number ≥ 0");
        var beta = OptionFactory.Number(Keys.Beta.OptionName, Keys.Beta.Description + " (probability in [0, 0.5))", d0.Beta, "a number in [0, 0.5)");
        var delta = OptionFactory.Number("--delta", "δ, failure probability (in (0, 1))", d0.Delta, "a number in (0, 1)");
        var c = OptionFactory.Number("--c", "C, the paper's unspecified universal constant at which bounds are evaluated (> 0); the paper does not give it", d0.C, "a finite number > 0");
        c.Aliases.Add("-C");
        var eps = OptionFactory.Number("--epsilon", "ε, target excess error for the inverse queries: the error level β + ε they solve for (in (0, 1 − β), so that β + ε is an error rate below 1)", 0.05, "a number in (0, 1 − β)");
        // The noise model, with train's names, descriptions, allowed values and errors (the settings table's).
        var noiseOptions = new SettingOptions([Keys.Noise, Keys.NoiseCondition, Keys.LabelNoise]);
        var json = OptionFactory.Flag("--json", "print a machine-readable JSON document instead of tables");
        var strict = OptionFactory.Flag("--strict", "exit with code 1 when any assumption fails at C");

        var cmd = new Command("check", "Check a regime against the hypotheses of Theorem 3.1 and evaluate what the theory then says. " +
            "Defaults: the paper's synthetic setting (n = 100, m = 1000, β = 0.1, δ = 0.05, C = 1) at the example point d = 100000, M = 10, α = 1, " +
            "Gaussian noise with random flips; --noise and --label-noise ask the same of another noise law or label rule.")
        {
            n, d, m, mu, alpha, beta,
        };
        noiseOptions.AddTo(cmd);
        foreach (var o in new Option[] { delta, c, eps, json, strict }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            var regime = Regime.Create(p.GetValue(n), p.GetValue(d), p.GetValue(m), p.GetValue(mu),
                p.GetValue(alpha), p.GetValue(beta), p.GetValue(delta), p.GetValue(c));
            double epsilon = p.GetValue(eps);
            // ε is an excess error: the inverse queries solve for the d where an error reaches β + ε, and an error is at most 1.
            if (!(epsilon > 0 && epsilon < 1 - regime.Beta))
                throw InvalidInputException.MustBe("--epsilon", Fmt.Inv(epsilon),
                    $"a number in (0, 1 − β) = (0, {(1 - regime.Beta).ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}): ε is the excess error the inverse queries target, and the error β + ε must stay below 1");
            var noise = RunSettings.Parse(noiseOptions.Values(p), "the command line");
            var (analysis, model) = CheckNoiseModel.Analyze(regime, epsilon, noise.Get(Keys.LabelNoise), noise.Get(Keys.Noise), noise.Get(Keys.NoiseCondition));
            if (p.GetValue(json)) ctx.Out.WriteLine(CheckJson.Write(analysis, ctx.Version, model));
            else CheckTable.Render(analysis, ctx.Console, model);
            return p.GetValue(strict) && !analysis.AllHold ? ExitCodes.CheckFailed : ExitCodes.Ok;
        });
        return cmd;
    }
}
