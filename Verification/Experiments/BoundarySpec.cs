namespace Verify.Verification.Experiments;

/// <summary>Which seed-mean error the boundary search follows.</summary>
internal enum BoundaryMetric
{
    /// <summary>Clean test error (noisy labels).</summary>
    Clean,
    /// <summary>Robust test error as the attack measures it: the lower end of the true robust error.</summary>
    Robust,
    /// <summary>The certified upper end of the robust test error: the test points not proved robust.</summary>
    Certified,
}

/// <summary>
/// The `boundary` section of an experiment: for each value of the grid's other axes, the d at which
/// <see cref="Metric"/>'s seed-mean crosses <see cref="Threshold"/> (β + ε when null), searched in
/// [<see cref="DFrom"/>, <see cref="DTo"/>] until the bracket is <see cref="Tolerance"/> wide in log₁₀ d. The first
/// bracket is the whole range, or with <see cref="StartAtHeuristic"/> the HEURISTIC crossing ± <see cref="StartWidth"/>
/// decades (fewer runs when the prediction is near; the bracket widens outwards when it is not).
/// </summary>
internal sealed record BoundarySpec(BoundaryMetric Metric, double? Threshold, long DFrom, long DTo, double Tolerance, bool StartAtHeuristic = false, double StartWidth = 1)
{
    public const long DefaultFrom = 100;
    public const long DefaultTo = 1_000_000_000_000;
    public const double DefaultTolerance = 0.1;

    /// <summary>The keys the section allows, for messages and the loader.</summary>
    public static readonly string[] Keys = ["metric", "threshold", "dFrom", "dTo", "tolerance", "start", "startWidth"];

    public static string MetricName(BoundaryMetric m) => m switch
    {
        BoundaryMetric.Clean => "clean",
        BoundaryMetric.Robust => "robust",
        _ => "certified",
    };

    /// <summary>What the metric is, in a report's words.</summary>
    public static string Describe(BoundaryMetric m) => m switch
    {
        BoundaryMetric.Clean => "clean test error",
        BoundaryMetric.Robust => "robust test error (attacked: the lower end)",
        _ => "certified robust test error (the upper end)",
    };
}
