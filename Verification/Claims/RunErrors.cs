using Verify.Verification.Results;

namespace Verify.Verification.Claims;

/// <summary>One run's errors on its own test points (or training points).</summary>
internal readonly record struct RunCount(int Errors, int Total)
{
    public double Rate => Total == 0 ? double.NaN : (double)Errors / Total;

    public static RunCount Of(Estimate e) => new(e.Errors, e.Total);
}

/// <summary>
/// An error rate measured run by run across a cell's seeds: the theorem speaks of each run (with
/// probability ≥ 1 − δ, this network's error is within the bound), so each run is tested on its own
/// test points and nothing is averaged before testing.
/// </summary>
internal sealed record RunErrors(IReadOnlyList<RunCount> Runs)
{
    public static RunErrors Of(IEnumerable<Estimate> perRun) => new(perRun.Select(RunCount.Of).ToList());

    /// <summary>The mean of the runs' rates (what the tables show).</summary>
    public double Mean => Runs.Count == 0 ? double.NaN : Runs.Average(r => r.Rate);

    public IReadOnlyList<double> Rates => Runs.Select(r => r.Rate).ToList();
}
