using System.Text.Json;
using Verify.Bounds;
using Verify.Simulation.Settings;
using Verify.Verification.Results;

namespace Verify.Verification.Output;

/// <summary>
/// The stable JSON document of `verify check --json`. Keys are part of the interface: add, never rename.
/// +∞ is written as the string "Infinity"; an absent value as null.
/// </summary>
internal static class CheckJson
{
    /// <param name="model">The noise model when it is not Gaussian noise with random flips; null for that model, whose document
    /// is what it was before the noise options existed (no noiseModel key).</param>
    public static object Document(RegimeAnalysis a, string version, CheckNoiseModel? model = null)
    {
        var r = a.Regime;
        var tool = new { name = "verify", version };
        var summary = new { cStar = a.CStar, binding = a.Binding.Id, allHoldAtC = a.AllHold, cStarClean = a.CleanCStar, cStarRobust = a.RobustCStar };
        var assumptions = a.Assumptions.Select(x => new
        {
            id = x.Id, expression = x.Expression, lhs = x.Lhs, rhs = x.Rhs, holds = x.Holds, cStar = x.CStar,
            provenance = x.Provenance.Label(), meaning = x.Meaning,
        });
        var statedInWordsOnly = a.StatedInWordsOnly.Select(x => new { id = x.Id, statement = x.Statement, provenance = x.Provenance.Label() });
        const string boundsNote = "clean and robust are the RECONSTRUCTED form evaluated at the user's C; the paper's C is unknown, so these are not the paper's numbers";
        if (model is not null) return WithModel(a, model, tool, summary, assumptions, statedInWordsOnly, boundsNote);
        return new
        {
            tool,
            regime = new { n = r.N, d = r.D, m = r.Width, mu = r.Mu, alpha = r.Alpha, beta = r.Beta, delta = r.Delta, C = r.C },
            summary,
            assumptions,
            statedInWordsOnly,
            bounds = new
            {
                clean = a.CleanBound.Value,
                robust = a.RobustBound.Value,
                cleanVacuous = a.CleanBound.Value >= 1,
                robustVacuous = a.RobustBound.Value >= 1,
                collapse = a.Collapse,
                robustLowerAnyClassifier = a.RobustLowerAnyClassifier,
                C = r.C,
                hypothesesHoldAtC = a.CleanBound.HypothesesHold,
                cleanReason = a.CleanBound.Reason,
                robustReason = a.RobustBound.Reason,
                note = boundsNote,
                provenance = new { clean = "RECONSTRUCTED", robust = "RECONSTRUCTED", collapse = "STATED", robustLowerAnyClassifier = a.Collapse ? "STATED" : "EXACT lower bound" },
            },
            gaussian = new
            {
                bayesClean = a.Gaussian.BayesClean, robustLower = a.Gaussian.RobustLower, linearRobust = a.Gaussian.LinearRobust,
                provenance = "EXACT",
                note = "robustLower is an EXACT lower bound on the robust error of any classifier, not a robust error some classifier attains (for 0 < α < M and β > 0 none does)",
            },
            heuristic = new
            {
                s = a.Heuristic.S, clean = a.Heuristic.Clean, robust = a.Heuristic.Robust,
                cleanLabelClean = a.Heuristic.CleanLabelClean, cleanLabelRobust = a.Heuristic.CleanLabelRobust,
                provenance = "HEURISTIC",
            },
            inverse = new
            {
                minD = a.Inverse.MinD, maxAlpha = a.Inverse.MaxAlpha, maxBeta = a.Inverse.MaxBeta,
                epsilon = a.Inverse.Epsilon,
                maxDForCleanExcess = a.Inverse.MaxDForCleanExcess,
                heuristicCleanBoundaryD = a.Inverse.HeuristicCleanBoundaryD,
                heuristicRobustBoundaryD = a.Inverse.HeuristicRobustBoundaryD,
                provenance = new { minD = "STATED", maxAlpha = "STATED", maxBeta = "STATED", maxDForCleanExcess = "RECONSTRUCTED", heuristicBoundaries = "HEURISTIC" },
            },
        };
    }

    /// <summary>
    /// The document for another noise model: the same keys, the regime as given, the Gaussian references and the HEURISTIC
    /// values null with the reason, Theorem 3.2's level, and two more objects, noiseModel and optimalClean.
    /// </summary>
    private static object WithModel(RegimeAnalysis a, CheckNoiseModel model, object tool, object summary, object assumptions, object statedInWordsOnly, string boundsNote)
    {
        var r = a.Regime;
        var g = model.Given;
        string reason = $"not shown: {CheckNoiseModel.ReferencesReason}, and here {model.Description} (docs/theory.md, \"Which references apply\")";
        return new
        {
            tool,
            regime = new { n = g.N, d = g.D, m = g.Width, mu = g.Mu, alpha = g.Alpha, beta = g.Beta, delta = g.Delta, C = g.C },
            noiseModel = new
            {
                labelNoise = Keys.LabelNoise.Format(model.Cell.Flips),
                noise = Keys.Noise.Format(model.Cell.Noise),
                noiseCondition = model.NoiseCondition,
                scaleNote = model.ScaleNote,
                // The regime Bounds evaluates (M′, α′, d′: the bounds and the family's reading of each hypothesis); null for Gaussian noise.
                theoryScale = model.IsScaled ? new { d = r.D, mu = r.Mu, alpha = r.Alpha, provenance = "RECONSTRUCTED" } : null,
                assumptionsAtCovarianceScale = model.AtCovarianceScale,
            },
            summary,
            assumptions,
            statedInWordsOnly,
            bounds = new
            {
                clean = a.CleanBound.Value,
                robust = a.RobustBound.Value,
                cleanVacuous = a.CleanBound.Value >= 1,
                robustVacuous = a.RobustBound.Value >= 1,
                collapse = a.Collapse,
                // Theorem 3.2 at α ≥ M (1/2, or 1/2 − β where the flips depend on x); below α = M the EXACT bound is the Gaussian model's.
                robustLowerAnyClassifier = a.Collapse ? model.CollapseLevel : (double?)null,
                collapseLevel = model.CollapseLevel,
                C = r.C,
                hypothesesHoldAtC = a.CleanBound.HypothesesHold,
                cleanReason = a.CleanBound.Reason,
                robustReason = a.RobustBound.Reason,
                robustLowerAnyClassifierReason = a.Collapse ? null : reason,
                note = boundsNote + (model.IsScaled ? "; evaluated at the family's scale (noiseModel.theoryScale)" : "")
                    + (model.FlipsDependOnX ? "; the flips depend on x, so Theorem 3.2 gives 1/2 on the clean labels and 1/2 − β (TV ≤ β) on the noisy ones" : ""),
                provenance = new { clean = "RECONSTRUCTED", robust = "RECONSTRUCTED", collapse = "STATED", robustLowerAnyClassifier = a.Collapse ? "STATED" : null },
            },
            gaussian = new
            {
                bayesClean = (double?)null, robustLower = (double?)null, linearRobust = (double?)null,
                provenance = "EXACT",
                reason,
            },
            heuristic = new
            {
                s = (double?)null, clean = (double?)null, robust = (double?)null, cleanLabelClean = (double?)null, cleanLabelRobust = (double?)null,
                provenance = "HEURISTIC",
                reason,
            },
            optimalClean = new
            {
                value = model.OptimalClean,
                belowBeta = model.OptimalBelowBeta,
                provenance = "EXACT",
                note = "the Bayes clean error against the noisy labels: no classifier does better"
                    + (model.OptimalBelowBeta ? "; below β: the flips are predictable from x, so an error below β contradicts nothing" : ""),
            },
            inverse = new
            {
                minD = a.Inverse.MinD, maxAlpha = a.Inverse.MaxAlpha, maxBeta = a.Inverse.MaxBeta,
                epsilon = a.Inverse.Epsilon,
                maxDForCleanExcess = a.Inverse.MaxDForCleanExcess,
                heuristicCleanBoundaryD = (double?)null,
                heuristicRobustBoundaryD = (double?)null,
                heuristicReason = reason,
                // For the anisotropic law d enters the theory as d_eff: minD and maxDForCleanExcess are values of it.
                dimension = model.EffectiveDimension ? "d_eff" : Keys.D.Name,
                note = "minD and maxAlpha keep A2 (and R) in both readings, the family's scale and M/σ, α/σ; maxAlpha in noise units (σ = 1)"
                    + (model.EffectiveDimension ? "; minD and maxDForCleanExcess are values of d_eff, with M′ and α′ at the given d" : ""),
                provenance = new { minD = "STATED", maxAlpha = "STATED", maxBeta = "STATED", maxDForCleanExcess = "RECONSTRUCTED", heuristicBoundaries = "HEURISTIC" },
            },
        };
    }

    public static string Write(RegimeAnalysis a, string version, CheckNoiseModel? model = null) => JsonSerializer.Serialize(Document(a, version, model), Json.AsWritten);
}
