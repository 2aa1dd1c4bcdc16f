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
/// stepping outwards by doubling widths until a measurement decided below the threshold (by its 95% interval) and one
/// decided above it exist, never beyond the range; undecided measurements on the way lie inside the bracket.
/// Stopping rules: the bracket's width in log₁₀ d reaches <see cref="Tolerance"/> (found); or a midpoint's 95% interval
/// contains the threshold, and then the bracket narrows from each side to within the tolerance of the undecided
/// points (resolved: the seeds cannot place the crossing more finely); or the next midpoint rounds to an end (d is an integer).
/// </summary>
internal sealed class BoundarySearch
{
    private readonly List<BoundaryMeasurement> _measured = [];
    private readonly List<BoundaryMeasurement> _undecided = []; // by d, inside the bracket
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

    /// <summary>The largest d decided below the threshold: its 95% interval lies under it (null before one is).</summary>
    public BoundaryMeasurement? Low { get; private set; }

    /// <summary>The smallest d decided above the threshold: its 95% interval lies over it (null before one is).</summary>
    public BoundaryMeasurement? High { get; private set; }

    /// <summary>Every measurement, in the order made.</summary>
    public IReadOnlyList<BoundaryMeasurement> Measured => _measured;

    /// <summary>
    /// The boundary: where the measured means, joined linearly in log d, first reach the threshold going up (as the
    /// grid fit does), through the bracket's ends and the undecided points between them. NaN while searching or
    /// when no boundary was located.
    /// </summary>
    public double Estimate { get; private set; } = double.NaN;

    /// <summary>
    /// Where the crossing may lie: the bracket [<see cref="Low"/>, <see cref="High"/>], both ends decided by their
    /// intervals (no model of the metric between them). NaN when no boundary was located.
    /// </summary>
    public (double Low, double High) Crossing => Status is BoundaryStatus.Found or BoundaryStatus.Resolved ? (Low!.Value.D, High!.Value.D) : (double.NaN, double.NaN);

    /// <summary>The measurements inside the bracket whose 95% interval contains the threshold (those of a <see cref="BoundaryStatus.Resolved"/> search), by d.</summary>
    public IReadOnlyList<BoundaryMeasurement> Undecided => _undecided;

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
            foreach (var m in now) Place(m);
            Refine();
            return;
        }

        // Bracketing: no decided measurement on one side yet. Undecided ones are kept, and the search steps outwards past them.
        foreach (var m in now) Classify(m);
        if (Low is { } lo && High is { } hi)
        {
            if (lo.D > hi.D) { End(BoundaryStatus.NotMonotone); return; }
            _undecided.RemoveAll(u => u.D < lo.D || u.D > hi.D);
            Refine();
            return;
        }
        var next = new List<double>();
        if (Low is null)
        {
            double edge = Math.Min(High?.D ?? double.MaxValue, _undecided.Count > 0 ? _undecided[0].D : double.MaxValue);
            if (edge == From) { End(BoundaryStatus.BelowRange); return; }
            next.Add(Clamp(Math.Round(Math.Pow(10, Math.Log10(edge) - _step))));
        }
        if (High is null)
        {
            double edge = Math.Max(Low?.D ?? 0, _undecided.Count > 0 ? _undecided[^1].D : 0);
            if (edge == To) { End(BoundaryStatus.AboveRange); return; }
            next.Add(Clamp(Math.Round(Math.Pow(10, Math.Log10(edge) + _step))));
        }
        _step *= 2;
        Pending = next;
    }

    /// <summary>While bracketing: a decided measurement is a candidate end (the nearest to the other side wins); an undecided one waits between them.</summary>
    private void Classify(BoundaryMeasurement m)
    {
        if (IsUndecided(m))
        {
            _undecided.Add(m);
            _undecided.Sort((x, y) => x.D.CompareTo(y.D));
        }
        else if (m.Mean <= Threshold) { if (Low is null || m.D > Low.Value.D) Low = m; }
        else if (High is null || m.D < High.Value.D) High = m;
    }

    private double Clamp(double d) => Math.Clamp(d, From, To);

    private bool IsUndecided(BoundaryMeasurement m) => m.Low95 <= Threshold && Threshold <= m.High95;

    /// <summary>A measurement inside the bracket: a decided one moves an end of the bracket; an undecided one joins the undecided points.</summary>
    private void Place(BoundaryMeasurement m)
    {
        if (IsUndecided(m))
        {
            _undecided.Add(m);
            _undecided.Sort((x, y) => x.D.CompareTo(y.D));
        }
        else if (m.Mean <= Threshold)
        {
            if (m.D > Low!.Value.D) Low = m;
            _undecided.RemoveAll(u => u.D <= m.D);
        }
        else
        {
            if (m.D < High!.Value.D) High = m;
            _undecided.RemoveAll(u => u.D >= m.D);
        }
    }

    /// <summary>
    /// Plain bisection while every midpoint was decided. Once one is not, the bracket still narrows from both
    /// sides: a probe halfway between each end and the outermost undecided point, until both gaps are within the
    /// tolerance. The bracket then spans the d where the seeds cannot tell the side, plus at most the tolerance on each side.
    /// </summary>
    private void Refine()
    {
        var (lo, hi) = (Low!.Value, High!.Value);
        if (_undecided.Count == 0)
        {
            if (Midpoint(lo.D, hi.D) is { } next) { Pending = [next]; return; }
            Estimate = Cross(lo.D, lo.Mean, hi.D, hi.Mean);
            End(BoundaryStatus.Found);
            return;
        }
        var probes = new List<double>();
        if (Midpoint(lo.D, _undecided[0].D) is { } below) probes.Add(below);
        if (Midpoint(_undecided[^1].D, hi.D) is { } above) probes.Add(above);
        if (probes.Count > 0) { Pending = probes; return; }
        // The crossing of the means joined in log d, through the undecided points (the first going up).
        var path = _undecided.Prepend(lo).Append(hi).ToList();
        int i = Enumerable.Range(0, path.Count - 1).FirstOrDefault(k => path[k].Mean <= Threshold && path[k + 1].Mean > Threshold, -1);
        Estimate = i >= 0 ? Cross(path[i].D, path[i].Mean, path[i + 1].D, path[i + 1].Mean) : Cross(lo.D, lo.Mean, hi.D, hi.Mean);
        End(BoundaryStatus.Resolved);
    }

    /// <summary>The integer d halfway in log between two, or null when they are within the tolerance or no integer lies strictly between.</summary>
    private double? Midpoint(double a, double b)
    {
        if (Math.Log10(b) - Math.Log10(a) <= Tolerance) return null;
        double next = Math.Round(Math.Sqrt(a * b));
        return next > a && next < b ? next : null;
    }

    /// <summary>The d between <paramref name="d0"/> and <paramref name="d1"/> where the line through (log d, mean) reaches the threshold (an end when it does not).</summary>
    private double Cross(double d0, double e0, double d1, double e1)
    {
        double t = e1 == e0 ? 0.5 : Math.Clamp((Threshold - e0) / (e1 - e0), 0, 1);
        return Math.Pow(10, Math.Log10(d0) + t * (Math.Log10(d1) - Math.Log10(d0)));
    }

    private void End(BoundaryStatus status)
    {
        Status = status;
        Pending = [];
    }
}
