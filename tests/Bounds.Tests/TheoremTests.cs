using Verify.Bounds.Theorems;

namespace Verify.Bounds.Tests;

public class TheoremTests
{
    [Test]
    public void Clean_bound_by_hand_at_the_default_regime()
    {
        // β + 2·exp(−n·M⁴/(C·d)) = 0.1 + 2·e^{−10}; mpmath: 2e^{−10} = 9.0799859524969703071e−5.
        var b = Theorem31.CleanBound(Regime.Default);
        Close.Rel(b.Value!.Value, 0.1 + 9.0799859524969703071e-5, 1e-15, "clean bound");
        Assert.That(b.HypothesesHold);
        Assert.That(b.Provenance, Is.EqualTo(Provenance.Reconstructed));
        Assert.That(b.C, Is.EqualTo(1));
    }

    [Test]
    public void Robust_bound_equals_clean_bound_under_R_and_is_absent_without_it()
    {
        var ok = Theorem31.RobustBound(Regime.Default);
        Assert.That(ok.Value, Is.EqualTo(Theorem31.CleanBound(Regime.Default).Value));

        var failing = Regime.Default with { Alpha = 5 }; // C* of R = 10·√0.1/5 = 0.63 < 1.
        var none = Theorem31.RobustBound(failing);
        Assert.That(none.Value, Is.Null);
        Assert.That(none.Reason, Does.Contain("R fails"));
    }

    [Test]
    public void Clean_bound_reports_failing_hypotheses()
    {
        var b = Theorem31.CleanBound(Regime.Default with { D = 1000 });
        Assert.That(b.HypothesesHold, Is.False);
        Assert.That(b.Reason, Does.Contain("A2"));
        Assert.That(b.Value, Is.Not.Null, "the formula value is still shown, labelled by its C");
    }

    [Test]
    public void Clean_bound_grows_with_d_and_with_C_and_shrinks_with_M()
    {
        double Bound(Regime r) => Theorem31.CleanBound(r).Value!.Value;
        var r0 = Regime.Default;
        Assert.That(Bound(r0 with { D = 2e5 }), Is.GreaterThan(Bound(r0)));
        Assert.That(Bound(r0 with { C = 2 }), Is.GreaterThan(Bound(r0)));
        Assert.That(Bound(r0 with { Mu = 12 }), Is.LessThan(Bound(r0)));
    }

    [Test]
    public void Collapse_exactly_from_alpha_equal_M()
    {
        var r = Regime.Default with { Mu = 3, Alpha = 3 };
        Assert.That(Theorem32.Collapse(r));
        Assert.That(Theorem32.RobustLowerBoundAnyClassifier(r), Is.EqualTo(0.5));
        var below = r with { Alpha = 3 - 1e-9 };
        Assert.That(Theorem32.Collapse(below), Is.False);
        // Continuity at α = M: β + (1−2β)·Φ(0) = 1/2.
        Close.Rel(Theorem32.RobustLowerBoundAnyClassifier(below), 0.5, 1e-9);
    }

    [Test]
    public void Robust_lower_bound_grows_with_alpha()
    {
        double prev = 0;
        for (double a = 0; a < 10; a += 0.5)
        {
            double v = Theorem32.RobustLowerBoundAnyClassifier(Regime.Default with { Alpha = a });
            Assert.That(v, Is.GreaterThanOrEqualTo(prev));
            prev = v;
        }
    }
}
