using Verify.Simulation.Settings;
using Verify.Verification.Boundaries;
using Verify.Verification.Cells;
using Verify.Verification.Experiments;

namespace Verify.Verification.Tests.Boundaries;

/// <summary>
/// `verify boundary` records a HEURISTIC crossing only where the HEURISTIC is derived (Gaussian noise, random flips;
/// docs/theory.md, "Which references apply").
/// </summary>
public class BoundaryNoiseModelTests
{
    [Test]
    public void Another_noise_model_gets_no_heuristic_crossing()
    {
        var plain = new CellParameters(DataKind.Gaussian, 100, double.NaN, 100, 8, 0, 0.1);
        var curves = new[]
        {
            new BoundaryCurve("gaussian", new Dictionary<Setting, object>(), plain),
            new BoundaryCurve("gauss-laplace", new Dictionary<Setting, object>(), plain with { Noise = NoiseFamily.GaussLaplace }),
            new BoundaryCurve("margin", new Dictionary<Setting, object>(), plain with { Flips = LabelNoise.Margin }),
        };
        var spec = new BoundarySpec(BoundaryMetric.Clean, null, 100, 1_000_000, 0.25);
        var (results, interrupted) = BoundaryRunner.Run(curves, spec, 0.05, (_, asks) => asks
            .Select(a => { double e = 0.1 + 0.1 * (Math.Log10(a.D) - 3); return new BoundaryMeasurement(a.D, e, e - 0.001, e + 0.001); }).ToList());
        Assert.That(interrupted, Is.False);
        Assert.That(results[0].Heuristic, Is.Not.Null);
        Assert.That(results[1].Heuristic, Is.Null);
        Assert.That(results[2].Heuristic, Is.Null);
        Assert.That(results.Select(r => r.Estimate), Is.All.EqualTo(Math.Pow(10, 3.5)).Within(0.5).Percent, "the search itself is unchanged");
    }
}
