using MathNet.Numerics.Distributions;
using Verify.Verification.Output;
using Verify.Verification.Text;

namespace Verify.Verification.Analysis;

/// <summary>
/// One point of a boundary in log–log: X = ln M, Y = ln d of the crossing's estimate, and [YLow, YHigh] the
/// bracket in ln d where the crossing may lie (YLow = YHigh: known exactly).
/// </summary>
internal readonly record struct LogPoint(double X, double Y, double YLow, double YHigh)
{
    /// <summary>The SD of a crossing that lies anywhere in its bracket with equal chance: width/√12.</summary>
    public double BracketSd => double.IsFinite(YHigh - YLow) ? Math.Abs(YHigh - YLow) / Math.Sqrt(12) : 0;
}

/// <summary>
/// One family's line under <see cref="PooledSlopes"/>: the least-squares slope and intercept, the slope's standard
/// error and 95% interval (NaN when the report's families leave fewer than <see cref="PooledSlopes.MinDegreesOfFreedom"/>
/// degrees of freedom). Two diagnostics, never the interval's basis: the family's own residual SD (NaN below 3 points) and
/// the residual SD the common model expects of it, √(Σ (1 − h)(τ̂² + u²)/(k − 2)), so that a family whose scatter the
/// common model misdescribes can be seen.
/// </summary>
internal sealed record PooledLine(double Slope, double Intercept, double StandardError, double Low95, double High95, int Points, double OwnScatter, double ExpectedScatter)
{
    public bool HasInterval => double.IsFinite(Low95) && double.IsFinite(High95);

    public bool Contains(double s) => HasInterval && s >= Low95 && s <= High95;
}

/// <summary>
/// The lines of every family of a report, fitted together: <see cref="Lines"/> in the order the families were given
/// (null for a family with fewer than 2 distinct x), over <see cref="Points"/> points in <see cref="Families"/> families,
/// with <see cref="DegreesOfFreedom"/> = Points − 2·Families and the common scatter <see cref="Scatter"/> (τ, in ln d)
/// beyond the brackets. <see cref="BracketScatter"/> is the root-mean-square bracket SD of the points, for the reader.
/// </summary>
internal sealed record PooledFit(IReadOnlyList<PooledLine?> Lines, int Points, int Families, int DegreesOfFreedom, double Scatter, double BracketScatter, double TQuantile)
{
    public bool HasIntervals => DegreesOfFreedom >= PooledSlopes.MinDegreesOfFreedom;

    /// <summary>What the intervals rest on, for a report: "95%: the brackets and a scatter τ = 0.11 in ln d common to the 4 families, 11 degrees of freedom".</summary>
    public string Basis => Describe(Points, Families, DegreesOfFreedom, Scatter);

    public static string Describe(int points, int families, int degreesOfFreedom, double scatter, string one = "family", string many = "families", bool brackets = true)
    {
        string fams = $"{families} {(families == 1 ? one : many)}";
        return degreesOfFreedom < PooledSlopes.MinDegreesOfFreedom
            ? $"no interval: {points} points in {fams} leave {Math.Max(0, degreesOfFreedom)} degree{(Math.Max(0, degreesOfFreedom) == 1 ? "" : "s")} of freedom for the scatter, {PooledSlopes.MinDegreesOfFreedom} needed"
            : $"95%: {(brackets ? "the brackets and " : "")}a scatter τ = {Fmt.Num(scatter, 2)} in ln d common to the {fams}, {degreesOfFreedom} degrees of freedom";
    }
}

/// <summary>
/// Slopes of boundaries (ln d on ln M) with intervals that do not rest on one family's own residuals. The rule:
/// <list type="bullet">
/// <item>each family gets its own line by ordinary least squares (the slope is the plain least-squares slope);</item>
/// <item>each point's ln d is taken to vary about its family's line with variance τ² + u², where u = (bracket width in
/// ln d)/√12 is the SD of a crossing lying anywhere in its bracket with equal chance, and τ² is the scatter the
/// brackets do not explain (the boundary's departure from a straight line, noise in the estimate), one value common
/// to all families of the report;</item>
/// <item>τ² is estimated from all families' residuals together by moments: E[Σ r²] = Σ (1 − h)(τ² + u²) with h the
/// point's leverage in its family, so τ̂² = max(0, (Σ r² − Σ (1 − h)·u²)/ν) with ν = N − 2F degrees of freedom
/// (N points, F families);</item>
/// <item>the slope's variance is Σ c²(τ̂² + u²) with c = (x − x̄)/Sxx its least-squares weights, and its 95% interval
/// slope ± t(ν, 0.975)·SE;</item>
/// <item>no interval at all when ν &lt; 3: a family on its own needs 5 points, and a family of 4 or fewer is never given
/// an interval from its own residuals alone.</item>
/// </list>
/// With equal brackets the per-point variance is max(s², u²), s² the pooled residual variance: the wider of what
/// the scatter and what the brackets say, never their sum counted twice. With no brackets and one family it is the
/// ordinary t interval.
/// </summary>
internal static class PooledSlopes
{
    public const int MinDegreesOfFreedom = 3;

    public static PooledFit Fit(IReadOnlyList<IReadOnlyList<LogPoint>> families)
    {
        var fitted = new List<(int Index, IReadOnlyList<LogPoint> P, double Slope, double Intercept, double Mx, double Sxx, double Rss)>();
        for (int f = 0; f < families.Count; f++)
        {
            var p = families[f];
            if (p.Count < 2) continue;
            double mx = p.Average(q => q.X), my = p.Average(q => q.Y);
            double sxx = p.Sum(q => (q.X - mx) * (q.X - mx));
            if (!(sxx > 0)) continue;
            double b = p.Sum(q => (q.X - mx) * (q.Y - my)) / sxx, a = my - b * mx;
            fitted.Add((f, p, b, a, mx, sxx, p.Sum(q => Math.Pow(q.Y - a - b * q.X, 2))));
        }
        int n = fitted.Sum(t => t.P.Count), fittedFamilies = fitted.Count, nu = n - 2 * fittedFamilies;
        double rss = fitted.Sum(t => t.Rss);
        // Σ (1 − h)·u²: what the brackets alone would put into the residual sum of squares.
        double bracketPart = fitted.Sum(t => t.P.Sum(q => (1 - 1.0 / t.P.Count - Math.Pow(q.X - t.Mx, 2) / t.Sxx) * q.BracketSd * q.BracketSd));
        double tau2 = nu > 0 ? Math.Max(0, (rss - bracketPart) / nu) : double.NaN;
        bool intervals = nu >= MinDegreesOfFreedom;
        double tq = intervals ? StudentT.InvCDF(0, 1, nu, 0.975) : double.NaN;
        var lines = new PooledLine?[families.Count];
        foreach (var t in fitted)
        {
            double se = intervals ? Math.Sqrt(t.P.Sum(q => Math.Pow((q.X - t.Mx) / t.Sxx, 2) * (tau2 + q.BracketSd * q.BracketSd))) : double.NaN;
            double own = t.P.Count > 2 ? Math.Sqrt(t.Rss / (t.P.Count - 2)) : double.NaN;
            double expected = t.P.Count > 2 && nu > 0
                ? Math.Sqrt(t.P.Sum(q => (1 - 1.0 / t.P.Count - Math.Pow(q.X - t.Mx, 2) / t.Sxx) * (tau2 + q.BracketSd * q.BracketSd)) / (t.P.Count - 2))
                : double.NaN;
            lines[t.Index] = new PooledLine(t.Slope, t.Intercept, se, t.Slope - tq * se, t.Slope + tq * se, t.P.Count, own, expected);
        }
        double bracketRms = n > 0 ? Math.Sqrt(fitted.Sum(t => t.P.Sum(q => q.BracketSd * q.BracketSd)) / n) : double.NaN;
        return new PooledFit(lines, n, fittedFamilies, nu, intervals ? Math.Sqrt(tau2) : double.NaN, bracketRms, tq);
    }
}
