using Verify.Bounds;
using Verify.Simulation.Data;
using Verify.Simulation.Settings;
using Verify.Verification.Cells;

namespace Verify.Verification.Output;

/// <summary>
/// What `verify check` shows for a noise model other than Gaussian noise with random flips (docs/theory.md, "How they enter
/// A1–A4 and R" and "Which references apply"): the model, how the regime is scaled, the EXACT optimal clean error against the
/// noisy labels and Theorem 3.2's level. The theory is the cell's (<see cref="CellParameters.Analysis"/>,
/// <see cref="CellParameters.Inverse"/>): nothing is computed here that the reports do not compute the same way.
/// </summary>
/// <param name="Cell">The regime as a Gaussian cell in noise units (σ = 1) with this noise law and label rule.</param>
/// <param name="Given">The regime as given: M and α in noise units, d the input dimension.</param>
/// <param name="Scaled">The regime Bounds evaluates (the family's scale: M′, α′, d′); <paramref name="Given"/> for Gaussian noise.</param>
/// <param name="OptimalClean">The Bayes clean error against the noisy labels (EXACT).</param>
/// <param name="AtCovarianceScale">The assumptions whose harder reading is the covariance's (M/σ, α/σ), not the family's scale.</param>
internal sealed record CheckNoiseModel(CellParameters Cell, Regime Given, Regime Scaled, double OptimalClean, IReadOnlyList<string> AtCovarianceScale)
{
    /// <summary>Why the Gaussian references and the HEURISTIC are not shown, in one sentence.</summary>
    public const string ReferencesReason = "derived for Gaussian noise with random flips only";

    /// <summary>
    /// The theory of <paramref name="given"/> under this noise law and label rule: for Gaussian noise with random flips the
    /// regime's own analysis and no model (the output of `check` before these options existed); otherwise the cell's analysis,
    /// its inverse queries, and the model to show with them. An input error names a noise setting the model refuses
    /// (the rules of `verify train`: <see cref="GaussianMixture.CheckNoiseModel"/>).
    /// </summary>
    public static (RegimeAnalysis Analysis, CheckNoiseModel? Model) Analyze(Regime given, double epsilon, LabelNoise flips, NoiseFamily noise, double condition)
    {
        GaussianMixture.CheckNoiseModel((long)given.D, flips, noise, condition);
        var cell = new CellParameters(DataKind.Gaussian, given.N, given.D, given.Width, given.Mu, given.Alpha, given.Beta, 1, flips, noise,
            noise == NoiseFamily.Anisotropic ? condition : 0);
        if (cell.GaussianRandomFlips) return (RegimeAnalysis.Of(given, epsilon), null);
        var a = cell.Analysis(given.C, given.Delta, epsilon) with { Inverse = cell.Inverse(given.C, given.Delta, epsilon) };
        // Analysis keeps, per assumption, the family's check or the covariance's, whichever is harder: name the latter.
        var family = RegimeAnalysis.Of(a.Regime, epsilon).Assumptions;
        var covariance = a.Assumptions.Where((x, i) => x != family[i]).Select(x => x.Id).ToList();
        return (a, new CheckNoiseModel(cell, given, a.Regime, cell.OptimalClean(), covariance));
    }

    /// <summary>The noise law is rescaled (every family but the Gaussian).</summary>
    public bool IsScaled => Cell.FamilyScale() is not null;

    /// <summary>The anisotropic law: d enters the theory as d_eff.</summary>
    public bool EffectiveDimension => Cell.Noise == NoiseFamily.Anisotropic;

    /// <summary>The flips are a function of x (margin, confident, spurious).</summary>
    public bool FlipsDependOnX => Cell.FlipsDependOnX;

    /// <summary>Theorem 3.2's robust error on the noisy labels at α ≥ M: 1/2, or 1/2 − β where the flips depend on x.</summary>
    public double CollapseLevel => Cell.CollapseLevel;

    /// <summary>The optimal clean error is below β: a classifier can predict the flips, so an error below β contradicts nothing.</summary>
    public bool OptimalBelowBeta => OptimalClean < Given.Beta;

    /// <summary>"noise = gauss-laplace, labelNoise = margin" (with noiseCondition for the anisotropic law).</summary>
    public string Description => Cell.NoiseModel!;

    /// <summary>How the regime is scaled: the family's line (RECONSTRUCTED), or for Gaussian noise that nothing is.</summary>
    public string ScaleNote => Cell.FamilyScaleNote()
        ?? $"{Keys.Noise.Format(NoiseFamily.Gaussian)}: M/σ, α/σ and d as written; label noise alone ({Keys.LabelNoise.Name} = {Keys.LabelNoise.Format(Cell.Flips)}) changes no hypothesis and no bound, only the references";

    /// <summary>κ_Σ for the anisotropic law, null for the others.</summary>
    public double? NoiseCondition => Cell.Noise == NoiseFamily.Anisotropic ? Cell.NoiseCondition : null;

    /// <summary>"labelNoise = margin": the rule, for the collapse's note.</summary>
    public string FlipsText => $"{Keys.LabelNoise.Name} = {Keys.LabelNoise.Format(Cell.Flips)}";
}
