using Verify.Simulation.Settings;
using Verify.Verification.Cells;
using Verify.Verification.Claims;
using Verify.Verification.Output;
using Verify.Verification.Text;

namespace Verify.Verification.Analysis;

/// <summary>
/// What the measurements show where the theorems make no claim: reported as observations, never as
/// failures (outside its hypotheses or its model the theorem is silent).
/// </summary>
internal static class Observations
{
    public static IReadOnlyList<string> Of(IReadOnlyList<CellSummary> cells, double c)
    {
        var lines = new List<string>();
        var gaussian = cells.Where(x => x.Parameters.IsGaussian && x.Measured.Runs > x.Measured.Diverged).ToList();

        var outside = gaussian.Where(x => Outcome(x, ClaimKind.Interpolation) == ClaimOutcome.OutsideHypotheses).ToList();
        if (outside.Count > 0)
        {
            int fitting = outside.Count(x => x.Measured.InterpolationRate >= 1);
            var short_ = outside.Where(x => x.Measured.InterpolationRate < 1).ToList();
            // A2's n·M² term, with d and M as the theory reads them (the noise family's scale: CellParameters.InTheoryScale).
            int small = short_.Count(x => x.Parameters.InTheoryScale() is var t && t.D < x.Parameters.N * Math.Pow(t.Mu, 2));
            lines.Add($"Outside A1–A4 at C = {Fmt.Num(c)}, where Theorem 3.1 is silent: {fitting} of {outside.Count} cells interpolate in every run"
                + (short_.Count > 0 ? $"; of the {short_.Count} that do not, {small} have d < n·M²." : "."));
        }

        int cleanBeyond = gaussian.Count(x => x.Theory.CleanNeedsMoreThanAllowed);
        int robustBeyond = gaussian.Count(x => x.Parameters.Alpha > 0 && x.Theory.RobustNeedsMoreThanAllowed);
        if (cleanBeyond + robustBeyond > 0)
            lines.Add($"C needed beyond C*: in {cleanBeyond} cells (clean error) and {robustBeyond} cells (robust error) the RECONSTRUCTED bound covers the measured mean "
                + "only at a C larger than the hypotheses allow there, so no C both puts these cells in scope and covers them (the claims' tests above decide whether that is significant).");

        int conflicts = cells.Sum(x => x.Certification.Conflicts);
        if (conflicts > 0)
            lines.Add($"CERTIFICATION FAILURE: {conflicts} test points were both certified robust and flipped by the attack, which a sound certificate and a correct evaluation rule out: a bug to report.");

        int diverged = cells.Sum(x => x.Measured.Diverged);
        if (diverged > 0)
            lines.Add($"{diverged} runs diverged (the step size was not the \"moderate\" one the theorem assumes): they are left out of every claim and check.");

        var absent = gaussian.Where(x => x.Parameters.ReferencesAbsent).ToList();
        if (absent.Count > 0)
            lines.Add($"{absent.Count} Gaussian cells are not Gaussian noise with random flips ({CellParameters.DescribeModels(absent.Select(x => x.Parameters))}): "
                + "the EXACT Gaussian references, their sanity checks and the HEURISTIC prediction do not apply there and are not shown; the theorem's claims are tested there as everywhere.");
        var predictable = gaussian.Where(x => x.Theory.OptimalBelowBeta(x.Parameters.Beta)).ToList();
        if (predictable.Count > 0)
        {
            string rules = string.Join(", ", predictable.Select(x => x.Parameters.Flips).Distinct().Order().Select(Keys.LabelNoise.Format));
            string Range(Func<CellSummary, double> f) => Fmt.Num(predictable.Min(f), 3) is var lo && lo == Fmt.Num(predictable.Max(f), 3) ? lo
                : $"{lo}–{Fmt.Num(predictable.Max(f), 3)}";
            lines.Add($"In {predictable.Count} cell{(predictable.Count == 1 ? "" : "s")} the flips are predictable from x ({Keys.LabelNoise.Name} = {rules}): the optimal clean error against "
                + $"their labels is {Range(x => x.Theory.OptimalClean!.Value)} < β (EXACT), so an error below β contradicts nothing there, and \"error ≈ β\" is not the benign target "
                + $"(measured clean error {Range(x => x.Measured.CleanTest.Mean)}).");
        }

        var real = cells.Where(x => !x.Parameters.IsGaussian && x.Measured.Runs > x.Measured.Diverged).ToList();
        if (real.Count > 0)
        {
            string data = string.Join(", ", real.Select(x => x.Parameters.DataName).Distinct());
            var beyond = real.Where(x => double.IsFinite(x.Parameters.Mu) && x.Parameters.Alpha >= x.Parameters.Mu && x.Parameters.Alpha > 0).ToList();
            lines.Add($"{real.Count} cells use {data} data, outside the theorem's Gaussian model: their numbers are observations, and no claim is tested there; "
                + $"{real.Count(x => x.Measured.InterpolationRate >= 1)} of them interpolate in every run"
                + (beyond.Count > 0
                    ? $"; at α ≥ M̂ (the empirical class-mean half-distance) the measured robust error is {Fmt.Num(beyond.Min(x => x.Measured.RobustTest.Mean), 3)}–{Fmt.Num(beyond.Max(x => x.Measured.RobustTest.Mean), 3)} over {beyond.Count} cells."
                    : "."));
        }
        return lines;
    }

    private static ClaimOutcome? Outcome(CellSummary cell, ClaimKind kind) => cell.Findings.Claims.FirstOrDefault(x => x.Claim == kind)?.Outcome;
}
