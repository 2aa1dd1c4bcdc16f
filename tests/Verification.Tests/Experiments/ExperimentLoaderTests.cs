using Verify.Simulation.Settings;
using Verify.Verification.Output;
using Verify.Verification.Experiments;

namespace Verify.Verification.Tests.Experiments;

public class ExperimentLoaderTests
{
    private static ExperimentConfig Load(string json, params string[] sets)
    {
        using var dir = new TempDir();
        return ExperimentLoader.Load(dir.File("e.json", json), sets);
    }

    private static string Error(string json, params string[] sets)
        => Assert.Throws<InvalidInputException>(() => Load(json, sets))!.Message;

    [Test]
    public void Reads_fixed_settings_grids_and_log_ranges()
    {
        var c = Load("""{ "name": "x", "seeds": 3, "fixed": { "n": 10 }, "grid": { "d": { "from": 100, "to": 100000, "count": 4 }, "mu": [1, 2.5] } }""");
        Assert.That(c.Name, Is.EqualTo("x"));
        Assert.That(c.Seeds, Is.EqualTo(3));
        Assert.That(c.Fixed.Get(Keys.N), Is.EqualTo(10));
        Assert.That(c.Grids[0][Keys.D], Is.EqualTo(new object[] { 100, 1000, 10000, 100000 }), "an integer axis: typed, rounded");
        Assert.That(c.Grids[0][Keys.Mu], Is.EqualTo(new object[] { 1.0, 2.5 }));
        Assert.That(c.C, Is.EqualTo(1));
        Assert.That(c.AsRunJson, Does.Contain("\"seeds\": 3").And.Contain("\"n\": 10").And.Contain("2.5"), "typed values are JSON numbers");
        Assert.That(c.AsRunJson, Does.Not.Contain("\"10\""));
    }

    [Test]
    public void Overrides_replace_top_keys_fixed_settings_and_grid_axes()
    {
        var c = Load("""{ "fixed": { "n": 10 }, "grid": { "d": [1, 2], "iterations": [5, 6] } }""",
            "seeds=4", "iterations=7", "grid.d=300,400", "C=2.5");
        Assert.That(c.Seeds, Is.EqualTo(4));
        Assert.That(c.C, Is.EqualTo(2.5));
        Assert.That(c.Fixed.Get(Keys.Iterations), Is.EqualTo(7));
        Assert.That(c.Grids[0].Has(Keys.Iterations), Is.False, "a fixed override removes the axis");
        Assert.That(c.Grids[0][Keys.D], Is.EqualTo(new object[] { 300, 400 }));
    }

    [TestCase("""{ "nmae": "x" }""", "unknown key 'nmae'")]
    [TestCase("""{ "seeds": "many" }""", "seeds = 'many'")]
    [TestCase("""{ "seeds": 0 }""", "seeds = '0'")]
    [TestCase("""{ "fixed": { "iteratons": 5 } }""", "did you mean 'iterations'")]
    [TestCase("""{ "fixed": { "beta": 0.7 } }""", "beta = '0.7'")]
    [TestCase("""{ "grid": { "dd": [1] } }""", "unknown grid axis 'dd'")]
    [TestCase("""{ "grid": { "beta": [0.1, 0.9] } }""", "grid.beta value '0.9'")]
    [TestCase("""{ "grid": { "d": { "from": 0, "to": 10, "count": 3 } } }""", "log range")]
    [TestCase("""{ "grid": { "d": { "from": 1, "to": 10, "cnt": 3 } } }""", "unknown key 'd.cnt'")]
    [TestCase("""{ "fixed": { "d": 10 }, "grid": { "d": [1] } }""", "both fixed and a grid axis")]
    [TestCase("""{ "grid": { "alpha": [1], "alphaOverMu": [0.1] } }""", "alpha and alphaOverMu are both set in a grid of")]
    [TestCase("""{ "name": "../evil" }""", "names the results and report folders")]
    [TestCase("""{ "fixed": { "n": 10, """, "not valid JSON")]
    [TestCase("""{ "tolerances": { "benign": 2 } }""", "tolerances.benign = '2'")]
    [TestCase("""{ "tolerances": { "collapse": 0.05 } }""", "tolerances.collapse", TestName = "Bad_configs_name_the_key(obsolete collapse tolerance)")]
    public void Bad_configs_name_the_key(string json, string expected)
        => Assert.That(Error(json), Does.Contain(expected));

    [TestCase("seeds", "must look like key=value")]
    [TestCase("grid.mu=1", "no grid has the axis 'mu'")]
    [TestCase("bogus=1", "unknown setting 'bogus'")]
    [TestCase("iterations=-3", "iterations = '-3'")]
    public void Bad_overrides_name_the_key(string set, string expected)
        => Assert.That(Error("""{ "grid": { "d": [100] } }""", set), Does.Contain(expected));

    [Test]
    public void Missing_file_is_a_named_error()
        => Assert.That(Assert.Throws<InvalidInputException>(() => ExperimentLoader.Load("/nonexistent/e.json"))!.Message, Does.Contain("not found"));
}
