using Verify.Verification.Results;

namespace Verify.Verification.Claims;

/// <summary>
/// One error rate measured over a cell's seeds: the seeds' mean and spread, how many seeds, and the
/// mean test-set size behind each seed's rate (for the binomial floor of the standard error).
/// </summary>
internal sealed record ErrorSample(double Mean, double Sd, int Seeds, double TestSize)
{
    public static ErrorSample Of(IReadOnlyList<Estimate> perSeed)
    {
        int k = perSeed.Count;
        if (k == 0) return new ErrorSample(double.NaN, double.NaN, 0, 0);
        double mean = perSeed.Average(e => e.Rate);
        double sd = k > 1 ? Math.Sqrt(perSeed.Sum(e => (e.Rate - mean) * (e.Rate - mean)) / (k - 1)) : 0;
        return new ErrorSample(mean, sd, k, perSeed.Average(e => (double)e.Total));
    }
}
