namespace Verify.Simulation.Evaluation;

/// <summary>An error count with its rate and 95% Wilson score interval.</summary>
public sealed record ErrorEstimate(int Errors, int Total)
{
    private const double Z95 = 1.959963984540054;

    public double Rate => Total == 0 ? double.NaN : (double)Errors / Total;

    public (double Low, double High) Wilson95 => Wilson(Errors, Total, Z95);

    public static (double Low, double High) Wilson(int errors, int total, double z)
    {
        if (total == 0) return (0, 1);
        double p = (double)errors / total, z2 = z * z, denom = 1 + z2 / total;
        double centre = (p + z2 / (2 * total)) / denom;
        double half = z / denom * Math.Sqrt(p * (1 - p) / total + z2 / (4.0 * total * total));
        // At 0 or n errors the bound is exactly 0 or 1 (the formula leaves rounding dust there).
        return (errors == 0 ? 0 : Math.Max(0, centre - half), errors == total ? 1 : Math.Min(1, centre + half));
    }
}
