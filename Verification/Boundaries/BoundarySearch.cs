namespace Verify.Verification.Boundaries;

/// <summary>How a search ended.</summary>
internal enum BoundaryStatus
{
    /// <summary>Still measuring.</summary>
    Searching,
    /// <summary>The bracket narrowed to the tolerance in log₁₀ d.</summary>
    Found,
    /// <summary>The measurement at a midpoint could not tell its side: its 95% interval contains the threshold. The bracket is what the seeds can resolve.</summary>
    Resolved,
    /// <summary>The metric is already above the threshold at the smallest d of the range: the boundary lies below it.</summary>
    BelowRange,
    /// <summary>The metric is still at most the threshold at the largest d: the boundary lies above it.</summary>
    AboveRange,
}

/// <summary>One measurement of the metric at one d: the seeds' mean and its 95% interval.</summary>
internal readonly record struct BoundaryMeasurement(double D, double Mean, double Low95, double High95);

/// <summary>
/// The search for the d at which a metric's seed-mean crosses a threshold going up in d, by bracketing and
/// bisection in log₁₀ d. A pure state machine: it asks for the d to measure (<see cref="Pending"/>), is told
/// the measurements (<see cref="Record"/>), and decides. The metric is assumed to rise with d (the theory's
/// errors do: more dimensions, less signal per dimension); the bracket holds a point at or below the
/// threshold (<see cref="Low"/>) and one above it (<see cref="High"/>).
/// Stopping rules: the bracket's width in log₁₀ d reaches <see cref="Tolerance"/>, or a midpoint's 95% interval
/// contains the threshold (more bisection would follow the noise), or the next midpoint rounds to an end of
/// the bracket (d is an integer).
/// </summary>
internal sealed class BoundarySearch
{
    private readonly List<BoundaryMeasurement> _measured = [];

    public BoundarySearch(double dFrom, double dTo, double threshold, double tolerance)
    {
        if (!(dFrom >= 1 && dTo > dFrom)) throw new ArgumentException($"the d range [{dFrom}, {dTo}] must have 1 ≤ from < to");
        if (!(tolerance > 0)) throw new ArgumentException("the tolerance must be > 0", nameof(tolerance));
        (From, To, Threshold, Tolerance) = (Math.Round(dFrom), Math.Round(dTo), threshold, tolerance);
        Pending = [From, To];
    }

    public double From { get; }
    public double To { get; }
    public double Threshold { get; }
    /// <summary>The bracket width in log₁₀ d at which the search stops.</summary>
    public double Tolerance { get; }

    public BoundaryStatus Status { get; private set; } = BoundaryStatus.Searching;

    /// <summary>The values of d to measure next (empty when the search has ended).</summary>
    public IReadOnlyList<double> Pending { get; private set; }

    /// <summary>The largest d measured at or below the threshold (null before one is).</summary>
    public BoundaryMeasurement? Low { get; private set; }

    /// <summary>The smallest d measured above the threshold (null before one is).</summary>
    public BoundaryMeasurement? High { get; private set; }

    /// <summary>Every measurement, in the order made.</summary>
    public IReadOnlyList<BoundaryMeasurement> Measured => _measured;

    /// <summary>
    /// The boundary: log-linear interpolation of the threshold between the bracket's ends (as the grid fit
    /// does); for <see cref="BoundaryStatus.Resolved"/>, the midpoint whose interval contains the threshold.
    /// NaN while searching or outside the range.
    /// </summary>
    public double Estimate { get; private set; } = double.NaN;

    public void Record(IReadOnlyList<BoundaryMeasurement> measurements)
    {
        if (Status != BoundaryStatus.Searching) throw new InvalidOperationException("the search has ended");
        foreach (var d in Pending)
            if (!measurements.Any(m => m.D == d)) throw new ArgumentException($"no measurement at the pending d = {d}", nameof(measurements));
        var now = Pending.Select(d => measurements.First(m => m.D == d)).ToList();
        _measured.AddRange(now);

        if (Low is null && High is null)
        {
            var (lo, hi) = (now.Single(m => m.D == From), now.Single(m => m.D == To));
            if (lo.Mean > Threshold) { End(BoundaryStatus.BelowRange); High = lo; return; }
            if (hi.Mean <= Threshold) { End(BoundaryStatus.AboveRange); Low = hi; return; }
            (Low, High) = (lo, hi);
        }
        else
        {
            var mid = now.Single();
            if (mid.Low95 <= Threshold && Threshold <= mid.High95)
            {
                // Its side is not known, so the bracket stays the one around it.
                Estimate = mid.D;
                End(BoundaryStatus.Resolved);
                return;
            }
            if (mid.Mean <= Threshold) Low = mid; else High = mid;
        }
        Advance();
    }

    private void Advance()
    {
        var (lo, hi) = (Low!.Value, High!.Value);
        double a = Math.Log10(lo.D), b = Math.Log10(hi.D);
        double next = Math.Round(Math.Pow(10, (a + b) / 2));
        if (b - a <= Tolerance || next <= lo.D || next >= hi.D)
        {
            double t = (Threshold - lo.Mean) / (hi.Mean - lo.Mean);
            Estimate = Math.Pow(10, a + Math.Clamp(t, 0, 1) * (b - a));
            End(BoundaryStatus.Found);
            return;
        }
        Pending = [next];
    }

    private void End(BoundaryStatus status)
    {
        Status = status;
        Pending = [];
    }
}
