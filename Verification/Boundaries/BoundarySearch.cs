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
    /// <summary>Every run at some d diverged: nothing was measured there.</summary>
    NoMeasurement,
    /// <summary>While bracketing, a smaller d measured above the threshold and a larger one at or below it: the noise exceeds the trend there.</summary>
    NotMonotone,
}

/// <summary>One measurement of the metric at one d: the seeds' mean and its 95% interval.</summary>
internal readonly record struct BoundaryMeasurement(double D, double Mean, double Low95, double High95);

/// <summary>
/// The search for the d at which a metric's seed-mean crosses a threshold going up in d, by bracketing and
/// bisection in log₁₀ d. A pure state machine: it asks for the d to measure (<see cref="Pending"/>), is told
/// the measurements (<see cref="Record"/>), and decides. The metric is assumed to rise with d (the theory's
/// errors do: more dimensions, less signal per dimension); the bracket holds a point at or below the
/// threshold (<see cref="Low"/>) and one above it (<see cref="High"/>).
/// Bracketing: from the ends of the range, or from [guess/10^w, guess·10^w] (a prediction of the crossing),
/// stepping outwards by doubling widths while both ends fall on one side, never beyond the range.
/// Stopping rules: the bracket's width in log₁₀ d reaches <see cref="Tolerance"/>, or a midpoint's 95% interval
/// contains the threshold (more bisection would follow the noise), or the next midpoint rounds to an end of
/// the bracket (d is an integer).
/// </summary>
internal sealed class BoundarySearch
{
    private readonly List<BoundaryMeasurement> _measured = [];
    private double _step; // the next outward step in log₁₀ d while bracketing

    /// <param name="guess">Where the crossing is expected (null: bracket with the ends of the range).</param>
    /// <param name="width">The first bracket around <paramref name="guess"/> spans guess/10^width to guess·10^width.</param>
    public BoundarySearch(double dFrom, double dTo, double threshold, double tolerance, double? guess = null, double width = 1)
    {
        if (!(dFrom >= 1 && dTo > dFrom)) throw new ArgumentException($"the d range [{dFrom}, {dTo}] must have 1 ≤ from < to");
        if (!(tolerance > 0)) throw new ArgumentException("the tolerance must be > 0", nameof(tolerance));
        if (!(width > 0)) throw new ArgumentException("the starting width must be > 0", nameof(width));
        (From, To, Threshold, Tolerance) = (Math.Round(dFrom), Math.Round(dTo), threshold, tolerance);
        if (guess is { } g && double.IsFinite(g) && g > 0)
        {
            double c = Math.Clamp(Math.Log10(g), Math.Log10(From), Math.Log10(To));
            double lo = Clamp(Math.Round(Math.Pow(10, c - width))), hi = Clamp(Math.Round(Math.Pow(10, c + width)));
            Pending = lo < hi ? [lo, hi] : [From, To];
            _step = 2 * width;
        }
        else Pending = [From, To];
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
        if (now.Any(m => double.IsNaN(m.Mean))) { End(BoundaryStatus.NoMeasurement); return; }

        if (Low is not null && High is not null)
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
            Bisect();
            return;
        }

        // Bracketing: every measurement so far lies on one side, or this is the first pair.
        foreach (var m in now.OrderBy(m => m.D))
            if (m.Mean <= Threshold) { if (Low is null || m.D > Low.Value.D) Low = m; }
            else if (High is null || m.D < High.Value.D) High = m;
        if (Low is { } lo && High is { } hi)
        {
            if (lo.D > hi.D) { End(BoundaryStatus.NotMonotone); return; }
            Bisect();
        }
        else if (High is { } above) Step(above.D, down: true);
        else Step(Low!.Value.D, down: false);
    }

    /// <summary>Outwards from <paramref name="edge"/>, by the current step, or the range's end when that is passed; the end reached ends the search.</summary>
    private void Step(double edge, bool down)
    {
        if (edge == (down ? From : To)) { End(down ? BoundaryStatus.BelowRange : BoundaryStatus.AboveRange); return; }
        double next = Clamp(Math.Round(Math.Pow(10, Math.Log10(edge) + (down ? -_step : _step))));
        _step *= 2;
        Pending = [next];
    }

    private double Clamp(double d) => Math.Clamp(d, From, To);

    private void Bisect()
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
