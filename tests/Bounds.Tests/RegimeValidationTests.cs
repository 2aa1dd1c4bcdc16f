namespace Verify.Bounds.Tests;

public class RegimeValidationTests
{
    private static readonly Regime Ok = Regime.Default;

    private static readonly object[] BadRegimes =
    [
        new object[] { Ok with { N = 0 }, "n" },
        new object[] { Ok with { D = -3 }, "d" },
        new object[] { Ok with { D = 10.5 }, "d" },
        new object[] { Ok with { Width = 7 }, "m" },
        new object[] { Ok with { Mu = double.NaN }, "mu" },
        new object[] { Ok with { Alpha = -1 }, "alpha" },
        new object[] { Ok with { Beta = 0.7 }, "beta" },
        new object[] { Ok with { Beta = 0.5 }, "beta" },
        new object[] { Ok with { Delta = 1 }, "delta" },
        new object[] { Ok with { Delta = 0 }, "delta" },
        new object[] { Ok with { C = 0 }, "C" },
        new object[] { Ok with { C = double.PositiveInfinity }, "C" },
    ];

    [TestCaseSource(nameof(BadRegimes))]
    public void Bad_field_is_named_with_its_value_and_range(Regime bad, string field)
    {
        var ex = Assert.Throws<InvalidInputException>(() => bad.Validate())!;
        Assert.That(ex.Field, Is.EqualTo(field));
        Assert.That(ex.Message, Does.StartWith($"{field} = "));
        Assert.That(ex.Allowed, Is.Not.Empty);
    }

    [Test]
    public void Default_regime_is_valid_and_documented_point()
    {
        Assert.DoesNotThrow(() => Regime.Default.Validate());
        Assert.That(Regime.Default, Is.EqualTo(new Regime(100, 100_000, 1000, 10, 1, 0.1, 0.05, 1)));
    }
}
