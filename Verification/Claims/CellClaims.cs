using Verify.Bounds;
using Verify.Simulation.Settings;
using Verify.Verification.Analysis;
using Verify.Verification.Output;
using Verify.Verification.Results;
using Verify.Verification.Text;
using Verify.Verification.Cells;

namespace Verify.Verification.Claims;

/// <summary>
/// The claims the theorems make at one cell, from its parameters and its finished runs (diverged
/// runs left out: a step size that blows up is not the "moderate" one the theorem assumes).
/// Theorem 3.1's error bounds describe the network once it interpolates, so they count as not reached
/// in a cell where some run has not interpolated by the last iteration.
/// </summary>
internal static class CellClaims
{
    public static IReadOnlyList<Claim> For(string cell, CellParameters p, IReadOnlyList<RunRecord> finished, double delta)
    {
        var runs = finished.Where(r => r.Metrics is not null).ToList();
        if (runs.Count == 0 || !p.HasTheory) return [];
        var a = p.Analysis(1, delta);
        bool outsideModel = !p.IsGaussian;
        string outside = p.IsGaussian ? "" : $"{p.DataName} data is not the theorem's Gaussian mixture";

        var fits = runs.Select(Fit).ToList();
        bool falling = fits.Contains(RunFit.Falling), stalled = fits.Contains(RunFit.Stalled);
        var claims = new List<Claim>
        {
            new InterpolationClaim(cell, a.CleanCStar,
                outsideModel ? Readiness.OutsideModel : !stalled && falling ? Readiness.NotReached : Readiness.Reached,
                outsideModel ? outside : InterpolationDetail(fits, delta), fits, delta),
        };

        int interpolating = fits.Count(f => f.Interpolates());
        bool reached = interpolating == runs.Count;
        string notReached = $"{runs.Count - interpolating} of {runs.Count} runs did not interpolate by the last iteration; the bound describes the network after interpolation";
        Readiness BoundReadiness() => outsideModel ? Readiness.OutsideModel : reached ? Readiness.Reached : Readiness.NotReached;
        string BoundDetail(string needs) => outsideModel ? outside : reached ? needs : notReached;
        claims.Add(new ErrorBoundClaim(ClaimKind.CleanBound, cell, a.CleanCStar, BoundReadiness(), BoundDetail("hypotheses A1–A4"),
            RunErrors.Of(runs.Select(r => r.Metrics!.CleanTest)), a.Regime));
        var attacked = RunErrors.Of(runs.Select(r => r.Metrics!.RobustTest));
        // The certified upper end, when every run has one (runs written before certification existed do not).
        var certified = runs.All(r => r.Metrics!.RobustTestCertified is not null) ? RunErrors.Of(runs.Select(r => r.Metrics!.RobustTestCertified!)) : null;
        string ends = certified is null
            ? "robust error from the attack alone (no certificate)"
            : "contradicted by the attacked error (lower end), confirmed by the certified error (upper end)";
        if (p.Alpha > 0)
            claims.Add(new ErrorBoundClaim(ClaimKind.RobustBound, cell, a.RobustCStar, BoundReadiness(), BoundDetail($"hypotheses A1–A4 and R; {ends}"),
                attacked, a.Regime, certified));
        // Flips that are a function of x: Theorem 3.2's 1/2 holds for the clean labels; the noisy ones are within TV β of them.
        double level = p.CollapseLevel;
        if (a.Collapse)
            claims.Add(new CollapseClaim(cell, outsideModel ? Readiness.OutsideModel : Readiness.Reached, outsideModel ? outside
                    : "α ≥ M: any classifier; " + (p.FlipsDependOnX ? $"flips predictable from x ({Keys.LabelNoise.Name} = {Keys.LabelNoise.Format(p.Flips)}): at least 1/2 − β on the noisy labels; " : "")
                        + (certified is null ? "robust error from the attack alone (no certificate)"
                        : "contradicted by the certified error (upper end), confirmed by the attacked error (lower end)"),
                attacked, certified, level));
        return claims;
    }

    /// <summary>How a run ended: interpolating (certified or not) by the evaluation attack, or short of it with a flat or a falling loss.</summary>
    public static RunFit Fit(RunRecord r)
    {
        var m = r.Metrics!;
        if (!m.Interpolates) return TrainingProgress.StillFalling(r.Curve) ? RunFit.Falling : RunFit.Stalled;
        return m.RobustTrainCertified is not { } c ? RunFit.AttackOnly : c.Errors == 0 ? RunFit.Certified : RunFit.Uncertified;
    }

    private static string InterpolationDetail(IReadOnlyList<RunFit> fits, double delta)
    {
        int runs = fits.Count, interpolating = fits.Count(f => f.Interpolates());
        int certified = fits.Count(f => f == RunFit.Certified), uncertified = fits.Count(f => f == RunFit.Uncertified);
        int stalled = fits.Count(f => f == RunFit.Stalled), falling = fits.Count(f => f == RunFit.Falling);
        var parts = new List<string>
        {
            interpolating == runs ? $"all {runs} runs reach robust training error 0 by the attack" : $"{interpolating} of {runs} runs reach robust training error 0 by the attack",
        };
        if (certified + uncertified > 0) parts.Add($"{certified} certified to fit every training point robustly");
        if (fits.Contains(RunFit.AttackOnly)) parts.Add($"{fits.Count(f => f == RunFit.AttackOnly)} without a training certificate (attack only)");
        if (stalled > 0) parts.Add($"{stalled} stopped short with a flat loss (allowed with probability δ = {Fmt.Num(delta)} each)");
        if (falling > 0) parts.Add($"{falling} still lowering the loss at the last iteration");
        return string.Join("; ", parts);
    }
}

/// <summary>Whether a run's robust training loss was still falling when training stopped.</summary>
internal static class TrainingProgress
{
    /// <summary>The part of the run examined: the last fifth of its iterations.</summary>
    public const double Window = 0.2;

    /// <summary>
    /// The relative fall over the window above which the loss counts as still falling. Under GD on data
    /// it can fit, the logistic loss falls like 1/t, about 20% over the last fifth; a run that has
    /// converged short of fitting moves by far less than 1%.
    /// </summary>
    public const double MinimumFall = 0.01;

    /// <summary>
    /// Fits log(loss) against the iteration over the window by least squares (robust to the jitter of
    /// an inexact inner attack) and asks whether the fitted fall across the window is at least
    /// <see cref="MinimumFall"/>. A curve too short to tell counts as still falling (the claim is then not
    /// reached rather than contradicted).
    /// </summary>
    public static bool StillFalling(TrainingCurve curve)
    {
        int n = curve.Iteration.Length;
        if (n < 2) return true;
        int lastIt = curve.Iteration[^1], firstIt = curve.Iteration[0];
        double start = lastIt - Window * (lastIt - firstIt);
        var pts = Enumerable.Range(0, n).Where(i => curve.Iteration[i] >= start && curve.RobustLoss[i] > 0 && double.IsFinite(curve.RobustLoss[i]))
            .Select(i => (X: (double)curve.Iteration[i], Y: Math.Log(curve.RobustLoss[i]))).ToList();
        if (pts.Count < 2)
        {
            // Fewer than two recorded points in the window: compare the last two recorded points.
            pts = Enumerable.Range(Math.Max(0, n - 2), Math.Min(2, n)).Where(i => curve.RobustLoss[i] > 0)
                .Select(i => (X: (double)curve.Iteration[i], Y: Math.Log(curve.RobustLoss[i]))).ToList();
            if (pts.Count < 2) return true;
        }
        double mx = pts.Average(q => q.X), my = pts.Average(q => q.Y);
        double sxx = pts.Sum(q => (q.X - mx) * (q.X - mx));
        if (sxx == 0) return true;
        double slope = pts.Sum(q => (q.X - mx) * (q.Y - my)) / sxx;
        double span = pts[^1].X - pts[0].X;
        return 1 - Math.Exp(slope * span) >= MinimumFall;
    }
}
