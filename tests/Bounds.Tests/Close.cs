namespace Verify.Bounds.Tests;

/// <summary>Relative-tolerance assertions (NUnit's Within is absolute or percent, this reads better).</summary>
internal static class Close
{
    public static void Rel(double actual, double expected, double rel, string? what = null)
    {
        double err = expected == 0 ? Math.Abs(actual) : Math.Abs(actual - expected) / Math.Abs(expected);
        Assert.That(err, Is.LessThanOrEqualTo(rel),
            $"{what ?? "value"}: got {actual:R}, expected {expected:R} (relative error {err:E2} > {rel:E1})");
    }
}
