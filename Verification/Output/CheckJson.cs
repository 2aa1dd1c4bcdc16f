using System.Text.Json;
using Verify.Bounds;
using Verify.Verification.Results;

namespace Verify.Verification.Output;

/// <summary>
/// The stable JSON document of `verify check --json`. Keys are part of the interface: add, never rename.
/// +∞ is written as the string "Infinity"; an absent value as null.
/// </summary>
internal static class CheckJson
{
    public static object Document(RegimeAnalysis a, string version)
    {
        var r = a.Regime;
        return new
        {
            tool = new { name = "verify", version },
            regime = new { n = r.N, d = r.D, m = r.Width, mu = r.Mu, alpha = r.Alpha, beta = r.Beta, delta = r.Delta, C = r.C },
            summary = new { cStar = a.CStar, binding = a.Binding.Id, allHoldAtC = a.AllHold, cStarClean = a.CleanCStar, cStarRobust = a.RobustCStar },
            assumptions = a.Assumptions.Select(x => new
            {
                id = x.Id, expression = x.Expression, lhs = x.Lhs, rhs = x.Rhs, holds = x.Holds, cStar = x.CStar,
                provenance = x.Provenance.Label(), meaning = x.Meaning,
            }),
            statedInWordsOnly = a.StatedInWordsOnly.Select(x => new { id = x.Id, statement = x.Statement, provenance = x.Provenance.Label() }),
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
                note = "clean and robust are the RECONSTRUCTED form evaluated at the user's C; the paper's C is unknown, so these are not the paper's numbers",
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

    public static string Write(RegimeAnalysis a, string version) => JsonSerializer.Serialize(Document(a, version), Json.AsWritten);
}
