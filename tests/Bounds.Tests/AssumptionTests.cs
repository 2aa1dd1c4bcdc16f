using Verify.Bounds.Assumptions;

namespace Verify.Bounds.Tests;

public class AssumptionTests
{
    [Test]
    public void Default_regime_values_by_hand()
    {
        // n = 100, d = 1e5, M = 10, α = 1, β = 0.1, δ = 0.05, C = 1.
        var a = TheoremAssumptions.All(Regime.Default).ToDictionary(x => x.Id);
        Close.Rel(a["A1"].CStar, 100 / Math.Log(20), 1e-15, "A1 C*");
        // A2: max(100·100, 100²·(ln 2000 + 1)) = 86 009.1…; mpmath: C* = 1.1626686905285990769.
        Close.Rel(a["A2"].CStar, 1.1626686905285990769, 1e-14, "A2 C*");
        Close.Rel(a["A2"].Rhs, 1e5 / 1.1626686905285990769, 1e-14, "A2 rhs");
        Close.Rel(a["A3"].CStar, 100 / Math.Log(2000), 1e-15, "A3 C*");
        Close.Rel(a["A4"].CStar, 10, 1e-15, "A4 C*");
        // R: C* = M·√(n·M²/d)/α = 10·√(0.1) = 3.1622…
        Close.Rel(a["R"].CStar, Math.Sqrt(10), 1e-15, "R C*");
        Assert.That(a.Values.All(x => x.Holds));
        Assert.That(a["A2"].Provenance, Is.EqualTo(Provenance.Stated));
        Assert.That(a["A1"].Provenance, Is.EqualTo(Provenance.Reconstructed));
        Assert.That(a["A3"].Provenance, Is.EqualTo(Provenance.Reconstructed));
        Assert.That(a["R"].Provenance, Is.EqualTo(Provenance.Stated));
    }

    [Test]
    public void Clean_claims_need_A1_to_A4_and_the_robust_claim_R_too()
    {
        // d = 1e6, M = 10, α = 2: R binds at 0.1/0.2 = 0.5, A1–A4 at A2's d/(n²·(ln 2000 + 4)) = 8.62.
        var a = RegimeAnalysis.Of(Regime.Default with { D = 1e6, Alpha = 2 });
        Close.Rel(a.CleanCStar, 1e6 / (1e4 * (Math.Log(2000) + 4)), 1e-14, "A1–A4");
        Close.Rel(a.RobustCStar, 0.5, 1e-14, "with R");
        Assert.That(a.CStar, Is.EqualTo(a.RobustCStar));
        // At α = 0, R holds for every C: both claims have the same scope.
        var clean = RegimeAnalysis.Of(Regime.Default with { Alpha = 0 });
        Assert.That(clean.RobustCStar, Is.EqualTo(clean.CleanCStar));
    }

    // Each assumption's raw inequality, written again independently of the library.
    private static bool Raw(string id, Regime r) => id switch
    {
        "A1" => r.N >= r.C * Math.Log(1 / r.Delta) * (1 - 1e-12),
        "A2" => r.D >= r.C * Math.Max(r.N * r.Mu * r.Mu, (double)r.N * r.N * (Math.Log(r.N / r.Delta) + r.Alpha * r.Alpha)) * (1 - 1e-12),
        "A3" => r.Mu * r.Mu >= r.C * Math.Log(r.N / r.Delta) * (1 - 1e-12),
        "A4" => r.Beta <= (1 / r.C) * (1 + 1e-12),
        "R" => r.Alpha / r.Mu <= Math.Sqrt(r.N * r.Mu * r.Mu / r.D) / r.C * (1 + 1e-12),
        _ => throw new ArgumentException(id),
    };

    /// <summary>200 regimes from a fixed seed: the same ones in every run, and the property checked on them is exact (up to rounding slack).</summary>
    private static IEnumerable<Regime> RandomRegimes()
    {
        var rng = new Random(12345);
        for (int i = 0; i < 200; i++)
            yield return new Regime(
                N: rng.Next(1, 2000),
                D: Math.Floor(Math.Pow(10, 1 + 8 * rng.NextDouble())),
                Width: 1000,
                Mu: 0.1 + 40 * rng.NextDouble(),
                Alpha: rng.NextDouble() < 0.1 ? 0 : 20 * rng.NextDouble(),
                Beta: rng.NextDouble() < 0.1 ? 0 : 0.49 * rng.NextDouble(),
                Delta: 0.001 + 0.99 * rng.NextDouble(),
                C: 1);
    }

    [Test]
    public void Each_assumption_holds_at_its_CStar_and_fails_just_above()
    {
        foreach (var r in RandomRegimes())
            foreach (var a in TheoremAssumptions.All(r))
            {
                if (double.IsPositiveInfinity(a.CStar))
                {
                    Assert.That(Raw(a.Id, r with { C = 1e300 }), $"{a.Id} should hold for every C: {r}");
                    continue;
                }
                Assert.That(Raw(a.Id, r with { C = a.CStar }), $"{a.Id} fails at its C* = {a.CStar}: {r}");
                Assert.That(Raw(a.Id, r with { C = a.CStar * (1 + 1e-9) }), Is.False, $"{a.Id} holds above C*: {r}");
                Assert.That(TheoremAssumptions.All(r with { C = a.CStar * (1 + 1e-9) }).Single(x => x.Id == a.Id).Holds, Is.False);
                Assert.That(TheoremAssumptions.All(r with { C = a.CStar }).Single(x => x.Id == a.Id).Holds, Is.True);
            }
    }

    [Test]
    public void Alpha_zero_makes_R_hold_for_every_C()
    {
        var rc = TheoremAssumptions.R(Regime.Default with { Alpha = 0, C = 1e12 });
        Assert.That(double.IsPositiveInfinity(rc.CStar));
        Assert.That(rc.Holds);
        Assert.That(rc.Lhs, Is.EqualTo(0));
    }

    [Test]
    public void Beta_zero_makes_A4_hold_for_every_C()
    {
        var a4 = TheoremAssumptions.A4(Regime.Default with { Beta = 0, C = 1e12 });
        Assert.That(double.IsPositiveInfinity(a4.CStar));
        Assert.That(a4.Holds);
    }

    [Test]
    public void Dimension_below_n_M_squared_fails_A2_at_C_one()
    {
        var r = Regime.Default with { D = 9_999, Mu = 10, Alpha = 0 }; // n·M² = 10 000 > d.
        var a2 = TheoremAssumptions.A2(r);
        Assert.That(a2.Holds, Is.False);
        Assert.That(a2.CStar, Is.LessThan(1));
        Assert.That(a2.CStar, Is.LessThan(9_999.0 / 10_000.0 + 1e-15));
    }

    [Test]
    public void Zero_signal_fails_A3_and_R_for_every_C()
    {
        var r = Regime.Default with { Mu = 0, Alpha = 0.5 };
        Assert.That(TheoremAssumptions.A3(r).CStar, Is.EqualTo(0));
        Assert.That(TheoremAssumptions.R(r).CStar, Is.EqualTo(0));
        Assert.That(TheoremAssumptions.R(r).Holds, Is.False);
    }

    [Test]
    public void CStar_of_A2_grows_with_d_and_shrinks_with_alpha()
    {
        double prev = 0;
        foreach (double d in new[] { 1e3, 1e4, 1e5, 1e6 })
        {
            double c = TheoremAssumptions.A2(Regime.Default with { D = d }).CStar;
            Assert.That(c, Is.GreaterThan(prev));
            prev = c;
        }
        prev = double.PositiveInfinity;
        foreach (double a in new[] { 0.0, 1, 2, 4 })
        {
            double c = TheoremAssumptions.A2(Regime.Default with { Alpha = a }).CStar;
            Assert.That(c, Is.LessThanOrEqualTo(prev));
            prev = c;
        }
    }

    [Test]
    public void A5_and_A6_are_listed_as_words_only()
    {
        Assert.That(TheoremAssumptions.StatedInWordsOnly.Select(a => a.Id), Is.EqualTo(new[] { "A5", "A6" }));
    }
}
