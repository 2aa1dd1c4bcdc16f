using System.Text.Json.Serialization;
using Verify.Simulation.Settings;
using Verify.Verification.Analysis;
using Verify.Verification.Experiments;
using Verify.Verification.Results;
using Verify.Verification.Cells;

namespace Verify.Verification.Boundaries;

/// <summary>
/// One curve of a boundary search: a value of every grid axis but d (for example M = 64, α/M = 0.1).
/// <see cref="Parameters"/> holds the cell at d = NaN (the theory's inputs other than d).
/// </summary>
internal sealed record BoundaryCurve(string Label, [property: JsonIgnore] IReadOnlyDictionary<Setting, object> Axes, CellParameters Parameters)
{
    /// <summary>The axes in results.json: by name, each value as its setting writes it (numbers as numbers, choices as their names).</summary>
    [JsonPropertyName("axes")]
    public IReadOnlyDictionary<string, object> AxesByName => Axes.OrderBy(kv => kv.Key.Name, StringComparer.Ordinal)
        .ToDictionary(kv => kv.Key.Name, kv => kv.Key.IsNumber || kv.Value is bool ? kv.Value : kv.Key.Format(kv.Value));
}

/// <summary>One curve's search as it ended: the bracket around the crossing and every measurement made.</summary>
/// <param name="CrossingLow">Where the crossing may lie: the bracket's ends (see <see cref="BoundarySearch.Crossing"/>).</param>
/// <param name="Undecided">The measurements inside the bracket whose interval contains the threshold.</param>
/// <param name="Heuristic">The d at which the HEURISTIC prediction crosses the same threshold (+∞ when it never does, null when it cannot be evaluated).</param>
internal sealed record BoundaryResult(
    BoundaryCurve Curve, BoundaryStatus Status, double Estimate, double CrossingLow, double CrossingHigh,
    BoundaryMeasurement? Low, BoundaryMeasurement? High, IReadOnlyList<BoundaryMeasurement> Undecided,
    IReadOnlyList<BoundaryMeasurement> Measured, double? Heuristic)
{
    /// <summary>A boundary with a bracket on both sides (found to the tolerance, or resolved as far as the seeds can).</summary>
    public bool Located => Status is BoundaryStatus.Found or BoundaryStatus.Resolved;
}

/// <summary>
/// Runs the boundary searches of an experiment in lockstep rounds: each round asks every curve still
/// searching for the values of d it needs, measures them all at once (one sweep: parallel, resumable,
/// stored as ordinary runs), and lets each search decide. Stored runs are reused, so a rerun replays the
/// finished rounds from the store without computing anything.
/// </summary>
internal static class BoundaryRunner
{
    /// <summary>The curves: every combination of the grids' axes other than d, once each, in the plan's order.</summary>
    public static IReadOnlyList<BoundaryCurve> Curves(ExperimentConfig config)
    {
        if (config.Boundary is null) throw new InvalidInputException($"'{config.Name}' has no 'boundary' section: add one (metric, threshold, dFrom, dTo, tolerance) to search for boundaries");
        if (config.Fixed.Has(Keys.D)) throw new InvalidInputException($"d is fixed in '{config.Name}': the boundary search varies d; remove it from 'fixed'");
        var curves = new Dictionary<string, BoundaryCurve>(StringComparer.Ordinal);
        foreach (var grid in config.Grids)
            foreach (var axes in ExperimentPlan.Cells(grid.Without(Keys.D)))
            {
                var data = axes.Aggregate(config.Fixed, (s, kv) => s.With(kv.Key, kv.Value)).Get(Keys.Data);
                if (data != DataKind.Gaussian)
                    throw new InvalidInputException($"'{config.Name}' searches a boundary in d on {Keys.Data.Format(data)} data, whose d is fixed by the data: the boundary search needs data = gaussian");
                // Both ends of the range are planned (and so validated) now: a setting that fails at some d fails before any run.
                var run = ExperimentPlan.ExpandCells(config, [With(axes, Keys.D, config.Boundary.DFrom)])[0];
                ExperimentPlan.ExpandCells(config, [With(axes, Keys.D, config.Boundary.DTo)]);
                string label = Label(axes);
                curves.TryAdd(run.CellKey, new BoundaryCurve(label, axes, CellParameters.Of(run.Settings, []) with { D = double.NaN }));
            }
        return curves.Values.ToList();
    }

    /// <summary>
    /// What the search does with a grid axis d, said rather than silently ignored, or null when no grid has one. Unlike a
    /// fixed d (refused: every run would be at that d) the axis has a meaning in the same document: it is the grid over d
    /// that `verify report` runs (its runs are reused where the search meets them); the search chooses its own d.
    /// </summary>
    public static string? GridDNote(ExperimentConfig config)
    {
        int values = config.Grids.SelectMany(g => g.TryGetValue(Keys.D, out var axis) ? axis : []).Distinct().Count();
        return values == 0 ? null
            : $"note: the grid axis d ({values} value(s)) is not searched: it is the grid `verify report` runs; the search chooses d itself in [boundary.dFrom, boundary.dTo] = [{config.Boundary!.DFrom}, {config.Boundary.DTo}]";
    }

    /// <summary>
    /// The searches, round by round. <paramref name="measure"/> gets the (curve, d) pairs of a round and
    /// returns their measurements in the same order, or null when interrupted (the searches then stop where they are).
    /// </summary>
    public static (IReadOnlyList<BoundaryResult> Results, bool Interrupted) Run(
        IReadOnlyList<BoundaryCurve> curves, BoundarySpec spec, double epsilon,
        Func<int, IReadOnlyList<(BoundaryCurve Curve, double D)>, IReadOnlyList<BoundaryMeasurement>?> measure)
    {
        var searches = curves.Select(c =>
        {
            double threshold = Threshold(spec, c, epsilon);
            double? guess = spec.StartAtHeuristic ? HeuristicBoundary(c, spec, threshold - c.Parameters.Beta) : null;
            return new BoundarySearch(spec.DFrom, spec.DTo, threshold, spec.Tolerance, guess, spec.StartWidth);
        }).ToList();
        bool interrupted = false;
        for (int round = 1; searches.Any(s => s.Status == BoundaryStatus.Searching); round++)
        {
            var asks = searches.SelectMany((s, i) => s.Pending.Select(d => (Index: i, D: d))).ToList();
            var got = measure(round, asks.Select(a => (curves[a.Index], a.D)).ToList());
            if (got is null) { interrupted = true; break; }
            foreach (var group in asks.Zip(got).GroupBy(t => t.First.Index))
                searches[group.Key].Record(group.Select(t => t.Second).ToList());
        }
        var results = curves.Select((c, i) =>
        {
            var s = searches[i];
            return new BoundaryResult(c, s.Status, s.Estimate, s.Crossing.Low, s.Crossing.High, s.Low, s.High, s.Undecided.ToList(), s.Measured,
                // Recorded (and fitted) only where the HEURISTIC is derived: Gaussian noise with random flips (docs/theory.md, "Which references
                // apply"); for other noise laws and label rules it may still place the first bracket above, never a reported value.
                c.Parameters.IsGaussian && !c.Parameters.GaussianRandomFlips ? null : HeuristicBoundary(c, spec, s.Threshold - c.Parameters.Beta));
        }).ToList();
        return (results, interrupted);
    }

    /// <summary>The threshold of a curve: the configured one, or β + ε.</summary>
    public static double Threshold(BoundarySpec spec, BoundaryCurve curve, double epsilon) => spec.Threshold ?? curve.Parameters.Beta + epsilon;

    /// <summary>The seeds' measurement at one d: mean and 95% interval (t over seeds, widened to at least the binomial interval of all test points pooled, so that seeds that happen to agree do not claim more precision than the test sets hold).</summary>
    public static BoundaryMeasurement Measure(double d, IReadOnlyList<RunRecord> runs, BoundaryMetric metric)
    {
        var estimates = runs.Where(r => r.Metrics is not null).Select(r => metric switch
        {
            BoundaryMetric.Clean => r.Metrics!.CleanTest,
            BoundaryMetric.Robust => r.Metrics!.RobustTest,
            _ => r.Metrics!.RobustTestCertified ?? r.Metrics!.RobustTest,
        }).ToList();
        if (estimates.Count == 0) return new BoundaryMeasurement(d, double.NaN, double.NaN, double.NaN);
        var st = Statistics.Of(estimates.Select(e => e.Rate).ToList(), (estimates[0].WilsonLow, estimates[0].WilsonHigh));
        var (wl, wh) = Statistics.Wilson(estimates.Sum(e => e.Errors), estimates.Sum(e => e.Total));
        return new BoundaryMeasurement(d, st.Mean, Math.Min(st.Low95, wl), Math.Max(st.High95, wh));
    }

    /// <summary>The HEURISTIC crossing of the curve's threshold (the same ε above β), in d.</summary>
    public static double? HeuristicBoundary(BoundaryCurve curve, BoundarySpec spec, double epsilon)
    {
        var p = curve.Parameters;
        if (!(epsilon > 0 && epsilon < 0.5 - p.Beta)) return null;
        try { return PhaseBoundaries.HeuristicBoundary(p, spec.Metric == BoundaryMetric.Clean ? "clean" : "robust", p.AlphaOverMu, epsilon); }
        catch (ArgumentException) { return null; }
    }

    /// <summary>"M = 64, α/M = 0.1": the axes in the paper's symbols (M first), others by their setting names; "all" when there are none.</summary>
    public static string Label(IEnumerable<KeyValuePair<Setting, object>> axes)
    {
        var parts = axes.OrderBy(kv => kv.Key == Keys.Mu ? 0 : 1).ThenBy(kv => kv.Key.Name, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key.Symbol} = {kv.Key.Format(kv.Value)}").ToList();
        return parts.Count == 0 ? "all" : string.Join(", ", parts);
    }

    private static Dictionary<Setting, object> With(IReadOnlyDictionary<Setting, object> axes, Setting key, object value)
        => new(axes) { [key] = value };

    /// <summary>The planned runs of one (curve, d): what `verify run` plans for a grid holding that cell, so `report` reuses them.</summary>
    public static IReadOnlyList<PlannedRun> Plan(ExperimentConfig config, BoundaryCurve curve, double d)
        => ExperimentPlan.ExpandCells(config, [With(curve.Axes, Keys.D, (long)d)]);
}
