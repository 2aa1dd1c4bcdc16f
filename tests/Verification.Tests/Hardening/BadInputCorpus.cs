using Verify.Verification.Tests.Experiments;

namespace Verify.Verification.Tests.Hardening;

/// <summary>
/// The bad inputs a new user tried (issue 11, "Why"), each with the exit code it must give. Every case runs
/// in its own temporary folder with explicit result and output locations; the tests check the code, that the
/// message is one "error:" line, that no internal error occurs, and that nothing is written outside.
/// </summary>
internal static class BadInputCorpus
{
    /// <summary>
    /// A case: arguments (with {dir} for the case's temporary folder), files to create first, the exit code expected, and a text the message
    /// must contain, or (<paramref name="Names"/>) the field, value and what is allowed that the one error line names (<see cref="Errors.Refused"/>).
    /// </summary>
    public sealed record Case(string Name, string[] Args, int Exit, string? Says = null, Dictionary<string, string>? Files = null, Refusal? Names = null);

    /// <summary>What a refusal names: the field, the value as shown and what is allowed (<see cref="Errors.Names(string, string, string?, string?)"/>).</summary>
    public sealed record Refusal(string Field, string? Value = null, string? Allowed = null);

    /// <summary>The case's error, asserted: its exit code, and the text it contains or the field, value and what is allowed that it names.</summary>
    public static void AssertSays(Case c, CliRunner.Result r)
    {
        Assert.That(r.ExitCode, Is.EqualTo(c.Exit), r.Err);
        if (c.Says is not null) Assert.That(r.Err, Does.Contain(c.Says));
        if (c.Names is { } n) Errors.Refused(r, n.Field, n.Value, n.Allowed, c.Exit);
    }

    /// <summary>Small runs, so that a case that is accepted finishes in a fraction of a second.</summary>
    public static readonly string[] Tiny = ["--n", "10", "--n-test", "40", "--d", "30", "--m", "20", "--iterations", "3", "--pgd-steps", "1", "--eval-pgd-steps", "1"];

    /// <summary>`train` on the tiny settings, the case's options replacing those of the same name.</summary>
    private static string[] Train(params string[] extra)
    {
        var options = new List<(string Name, string Value)>();
        for (int i = 0; i + 1 < Tiny.Length; i += 2) options.Add((Tiny[i], Tiny[i + 1]));
        for (int i = 0; i + 1 < extra.Length; i += 2)
        {
            options.RemoveAll(o => o.Name == extra[i]);
            options.Add((extra[i], extra[i + 1]));
        }
        return ["train", .. options.SelectMany(o => new[] { o.Name, o.Value })];
    }

    private static Case Config(string name, string json, string says) =>
        new(name, ["run", "{dir}/e.json", "--results", "{dir}/results"], 2, says, new() { ["e.json"] = json });

    public static IEnumerable<Case> Cases()
    {
        // Sizes that overflow or cannot fit: refused before any allocation, naming the user's settings.
        yield return new("naive at d = 1e9", Train("--mode", "naive", "--d", "1e9"), 2, "n_test × d");
        yield return new("n = 1e8", Train("--n", "1e8"), 2, "n = 100000000");
        yield return new("m = 1e8", Train("--m", "1e8"), 2, "m = 100000000");
        yield return new("n_test = 2^31 - 1", Train("--n-test", "2147483647"), 2, "nTest = 2147483647");
        yield return new("subspace at d = 1e8", Train("--mode", "subspace", "--d", "1e8"), 2, "mode subspace");
        yield return new("d = 2e15 names the range", Train("--d", "2e15"), 2, "[1, 1e15]");
        yield return new("naive at d = 3e9 names the array limit", Train("--mode", "naive", "--d", "3e9"), 2, "2147483591");
        yield return new("mu = 1e100 names mu, not the step size", Train("--mu", "1e100"), 2, "mu = 1E+100");
        yield return new("init scale 1e200 is a dead model", Train("--init-scale", "1e200"), 3, "identically 0");
        yield return new("an MNIST run with a Gaussian setting", ["train", "--data", "mnist", "--d", "50"], 2, "d = 50 does not apply to data = mnist");
        yield return new("an MNIST run with a label-noise rule", ["train", "--data", "mnist", "--label-noise", "margin"], 2, "labelNoise = margin does not apply to data = mnist");
        yield return new("rotation-invariant with non-Gaussian noise", Train("--mode", "rotation-invariant", "--d", "1e6", "--noise", "gauss-laplace"), 2, "noise = gauss-laplace is not allowed");
        yield return new("rotation-invariant with spurious flips", Train("--mode", "rotation-invariant", "--d", "1e6", "--label-noise", "spurious"), 2, "labelNoise = spurious is not allowed");
        yield return new("a condition number without anisotropic noise", Train("--noise-condition", "10"), 2, "noiseCondition = 10 is not allowed");
        yield return new("a condition number out of range", Train("--noise", "anisotropic", "--noise-condition", "0.5"), 2, "noiseCondition");
        // Output locations, checked before the run.
        yield return new("train --out a folder", Train("--out", "{dir}"), 2, "--out");
        yield return new("train --out empty", Train("--out", ""), 2, "--out");
        yield return new("train --out where no folder can be made", Train("--out", "/proc/verify-no-such/x.json"), 2, "--out");
        yield return new("train --save-model a folder", Train("--save-model", "{dir}"), 2, "--save-model");
        yield return new("train --save-model empty", Train("--save-model", ""), 2, "--save-model");
        yield return new("train --save-model in a folder that does not exist", Train("--save-model", "{dir}/missing/model.safetensors"), 2,
            "/missing' does not exist; create it first");
        yield return new("train --save-model where no file can be made", Train("--save-model", "/proc/model.safetensors"), 2, "--save-model '/proc' is not a writable folder");
        yield return new("train --save-model as --out", Train("--save-model", "{dir}/r.json", "--out", "{dir}/r.json"), 2, "--save-model and --out name the same file");
        yield return new("train --save-model of the test set at d = 1e6 in naive mode", Train("--save-model", "{dir}/model.safetensors", "--mode", "naive", "--d", "1e6", "--n-test", "200"),
            2, "--save-model: the model file would have 1.71 GiB (first layer m × d = 20 × 1000000, test inputs n_test × d = 200 × 1000000");
        yield return new("run --results a file", ["run", "{dir}/e.json", "--results", "{dir}/e.json"], 2, "--results",
            new() { ["e.json"] = TinyExperiment.Json });
        yield return new("report --out a file", ["report", "{dir}/e.json", "--results", "{dir}/results", "--out", "{dir}/e.json"], 2, "--out",
            new() { ["e.json"] = TinyExperiment.Json });
        // Experiment configs: every key has a type, names are folder-safe, grids are bounded.
        yield return Config("seeds as a list", """{ "seeds": [5] }""", "seeds");
        yield return Config("tolerances as a number", """{ "tolerances": 0.1 }""", "tolerances");
        yield return Config("grid as a number", """{ "grid": 5 }""", "grid");
        yield return Config("name as a list", """{ "name": ["a", "b"] }""", "name");
        yield return Config("description as an object", """{ "description": { "a": 1 } }""", "description");
        yield return Config("fixed as a number", """{ "fixed": 5 }""", "fixed");
        yield return Config("grids as an object", """{ "grids": { "d": [1] } }""", "grids");
        yield return Config("a 300-character name", $$"""{ "name": "{{new string('x', 300)}}" }""", "name");
        yield return Config("a name with a path", """{ "name": "../../escape" }""", "name");
        yield return Config("a million cells", """{ "grid": { "d": { "from": 10, "to": 1e6, "count": 1000 }, "mu": { "from": 1, "to": 10, "count": 1000 } } }""", "--max-runs");
        // Commands and options.
        yield return new("an unknown command", ["bogus"], 2, "unknown command 'bogus'");
        yield return new("no command", [], 2, "no command given");
        yield return new("regress --jobs 0", ["regress", "{dir}/none.json", "--jobs", "0"], 2);
        yield return new("run --jobs 0", ["run", "{dir}/e.json", "--results", "{dir}/r", "--jobs", "0"], 2, "--jobs", new() { ["e.json"] = TinyExperiment.Json });
        yield return new("run --max-runs 0", ["run", "{dir}/e.json", "--results", "{dir}/r", "--max-runs", "0"], 2, "--max-runs", new() { ["e.json"] = TinyExperiment.Json });
        yield return new("a shard out of range", ["run", "{dir}/e.json", "--results", "{dir}/r", "--shard", "3/2"], 2, "--shard", new() { ["e.json"] = TinyExperiment.Json });
    }
}
