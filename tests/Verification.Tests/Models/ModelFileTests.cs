using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Verify.Simulation.Kernels;
using Verify.Simulation.Runs;
using Verify.Verification.Models;
using Verify.Verification.Results;
using Verify.Verification.Settings;

namespace Verify.Verification.Tests.Models;

/// <summary>
/// `verify train --save-model`: the safetensors file read back by <see cref="SafeTensorsFile"/>, a reader independent of
/// the writer, in every mode and both precisions; the clean test error recomputed from the saved tensors alone equals the
/// run's; the reduced modes save the naive network restricted to the span; what is refused is refused before training.
/// </summary>
public class ModelFileTests
{
    /// <summary>
    /// A tiny run with 200 test points (d = 60 exceeds n + m/2 = 20, so every mode can run it), the options in
    /// <paramref name="overrides"/> replacing or adding to its own.
    /// </summary>
    private static string[] Tiny(params string[] overrides)
    {
        var options = new List<(string Name, string Value)>
        {
            ("--n", "10"), ("--n-test", "200"), ("--d", "60"), ("--m", "20"), ("--iterations", "15"), ("--pgd-steps", "3"),
            ("--eval-pgd-steps", "5"), ("--mu", "3"), ("--alpha", "0.2"), ("--seed", "11"),
        };
        for (int i = 0; i + 1 < overrides.Length; i += 2)
        {
            options.RemoveAll(o => o.Name == overrides[i]);
            options.Add((overrides[i], overrides[i + 1]));
        }
        return options.SelectMany(o => new[] { o.Name, o.Value }).ToArray();
    }

    private static (CliRunner.Result Run, JsonElement Record, SafeTensorsFile File) Train(TempDir dir, params string[] extra)
    {
        string path = dir.Sub($"model-{Guid.NewGuid():N}.safetensors");
        var r = CliRunner.Run(["train", .. Tiny(extra), "--json", "--save-model", path]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        return (r, JsonDocument.Parse(r.Out).RootElement.Clone(), new SafeTensorsFile(path));
    }

    /// <summary>f(x_i) for every row of "test.x", from the saved tensors alone, in double: Σ_s v_s·φ(⟨w_s, x_i⟩) with v = "layer2.weight".</summary>
    private static double[] Outputs(SafeTensorsFile f, string inputs = "test.x")
    {
        double[] w = f.Reals("layer1.weight"), v = f.Reals("layer2.weight"), x = f.Reals(inputs);
        int m = (int)f.Shape("layer1.weight")[0], r = (int)f.Shape("layer1.weight")[1], rows = (int)f.Shape(inputs)[0];
        Assert.That(f.Metadata["activation"], Is.EqualTo("leaky-relu"));
        double gamma = double.Parse(f.Metadata["gamma"], System.Globalization.CultureInfo.InvariantCulture);
        var outputs = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            double sum = 0;
            for (int s = 0; s < m; s++)
            {
                double h = 0;
                for (int j = 0; j < r; j++) h += w[s * r + j] * x[i * r + j];
                sum += v[s] * (h > 0 ? h : gamma * h);
            }
            outputs[i] = sum;
        }
        return outputs;
    }

    private static int Errors(double[] outputs, sbyte[] labels) => outputs.Where((o, i) => labels[i] * o <= 0).Count();

    [TestCase("naive", "f64")]
    [TestCase("naive", "f32")]
    [TestCase("subspace", "f64")]
    [TestCase("subspace", "f32")]
    [TestCase("rotation-invariant", "f64")]
    [TestCase("rotation-invariant", "f32")]
    public void The_saved_tensors_give_back_the_runs_clean_test_error(string mode, string precision)
    {
        using var dir = new TempDir();
        var (_, record, file) = Train(dir, "--mode", mode, "--precision", precision);
        var provenance = record.GetProperty("provenance");
        var metrics = record.GetProperty("metrics");
        int m = 20, r = provenance.GetProperty("basisDimension").GetInt32(), nTest = 200, n = 10;
        Assert.That(r, Is.EqualTo(mode switch { "naive" => 60, "subspace" => 20, _ => 21 }), "the coordinates the run used");

        string real = precision == "f64" ? "F64" : "F32";
        var expected = new (string Name, string DType, long[] Shape)[]
        {
            ("layer1.weight", real, [m, r]), ("layer2.weight", real, [1, m]), ("layer2.sign", "I8", [m]),
            ("test.x", real, [nTest, r]), ("test.y", "I8", [nTest]), ("test.y_clean", "I8", [nTest]),
            ("train.x", real, [n, r]), ("train.y", "I8", [n]), ("train.y_clean", "I8", [n]),
        };
        Assert.That(file.Names, Is.EquivalentTo(expected.Select(e => e.Name)));
        foreach (var (name, dtype, shape) in expected)
        {
            Assert.That(file.DType(name), Is.EqualTo(dtype), name);
            Assert.That(file.Shape(name), Is.EqualTo(shape), name);
            Assert.That((file.DataStart + file.Begin(name)) % (dtype == "I8" ? 1 : 8), Is.EqualTo(0), $"{name} starts aligned");
        }

        // The second layer: a_s = +1 for the first half, −1 for the second, times 1/√m in the run's precision.
        var signs = file.Signs("layer2.sign");
        Assert.That(signs, Is.EqualTo(Enumerable.Range(0, m).Select(s => (sbyte)(s < m / 2 ? 1 : -1))));
        double scale = precision == "f64" ? 1 / Math.Sqrt(m) : (double)(1f / MathF.Sqrt(m));
        Assert.That(file.Reals("layer2.weight"), Is.EqualTo(signs.Select(a => a * scale)));
        Assert.That(file.Signs("test.y").Concat(file.Signs("test.y_clean")).Concat(file.Signs("train.y")), Is.All.EqualTo(1).Or.EqualTo(-1));

        // The clean test error, recomputed from the file alone: the same counts as the run's, against both labels.
        var outputs = Outputs(file);
        Assert.That(Errors(outputs, file.Signs("test.y")), Is.EqualTo(metrics.GetProperty("cleanTest").GetProperty("errors").GetInt32()));
        Assert.That(Errors(outputs, file.Signs("test.y_clean")), Is.EqualTo(metrics.GetProperty("cleanTestCleanLabels").GetProperty("errors").GetInt32()));
        Assert.That(Errors(Outputs(file, "train.x"), file.Signs("train.y")), Is.EqualTo(metrics.GetProperty("cleanTrain").GetProperty("errors").GetInt32()));
        Assert.That(file.Signs("test.y").Zip(file.Signs("test.y_clean")).Count(p => p.First != p.Second), Is.GreaterThan(0), "some test labels are flipped (β = 0.1)");

        // The metadata: the format, the run, its measured errors.
        var meta = file.Metadata;
        Assert.That(meta["format"], Is.EqualTo("verify.model/1"));
        Assert.That(meta["mode"], Is.EqualTo(mode));
        Assert.That(meta["precision"], Is.EqualTo(precision));
        Assert.That(meta["seed"], Is.EqualTo("11"));
        Assert.That(meta["backend"], Is.EqualTo(provenance.GetProperty("backend").GetString()));
        Assert.That(meta["version"], Is.EqualTo(provenance.GetProperty("version").GetString()));
        Assert.That(meta["basisDimension"], Is.EqualTo(r.ToString()));
        Assert.That(meta["ambientDimension"], Is.EqualTo("60"));
        Assert.That(meta["width"], Is.EqualTo("20"));
        Assert.That(meta["gamma"], Is.EqualTo("0.1"));
        Assert.That(meta["smoothness"], Is.EqualTo("1"));
        Assert.That(meta["nTest"], Is.EqualTo("200"));
        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(meta["settings"]), JsonNode.Parse(record.GetProperty("settings").GetRawText())), "the settings, as the run's JSON has them");
        var settings = RunSettings.Parse(JsonNode.Parse(meta["settings"])!.AsObject().Select(kv => KeyValuePair.Create(kv.Key, kv.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : kv.Value!.ToJsonString())), "test");
        Assert.That(meta["runId"], Is.EqualTo(RunId.Of(settings)), "the id of the run's settings");
        foreach (var (key, field) in new[] { ("cleanTest", "cleanTest"), ("robustTest", "robustTest"), ("cleanTestCleanLabels", "cleanTestCleanLabels"), ("robustTestCleanLabels", "robustTestCleanLabels"), ("robustTestCertified", "robustTestCertified") })
        {
            string count = key switch
            {
                "cleanTestCleanLabels" => "cleanTestErrorsCleanLabels",
                "robustTestCleanLabels" => "robustTestErrorsCleanLabels",
                "robustTestCertified" => "robustTestErrorsCertified",
                _ => key + "Errors",
            };
            string rate = count.Replace("Errors", "Error");
            Assert.That(meta[count], Is.EqualTo(metrics.GetProperty(field).GetProperty("errors").GetInt32().ToString()), count);
            Assert.That(double.Parse(meta[rate], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(metrics.GetProperty(field).GetProperty("rate").GetDouble()), rate);
        }
    }

    [TestCase("f64")]
    [TestCase("f32")]
    public void Every_tensor_round_trips_bit_for_bit_and_the_size_estimate_bounds_the_file(string precision)
    {
        using var dir = new TempDir();
        var settings = RunSettings.Parse(Pairs(Tiny("--mode", "subspace", "--precision", precision)), "test");
        var spec = settings.ToSpec().Validate();
        var result = Simulator.Run(spec, out var model, gemm: ManagedGemm.Instance);
        Assert.That(model, Is.Not.Null);
        Assert.That(model!.Precision, Is.EqualTo(precision));
        var record = RunRecord.From(result, settings.Resolved(spec), EnvironmentInfo.Current(result.Backend));
        string path = dir.Sub("model.safetensors");
        ModelFile.Write(path, model, record);
        var file = new SafeTensorsFile(path);

        void Same<T>(string name, Dense<T> dense) where T : struct =>
            Assert.That(file.Bytes(name).SequenceEqual(MemoryMarshal.AsBytes(dense.Data.AsSpan(0, dense.Rows * dense.Cols))), name);
        switch (model)
        {
            case TrainedModel<double> d: Same("layer1.weight", d.Weights); Same("test.x", d.TestX); Same("train.x", d.TrainX); break;
            case TrainedModel<float> f: Same("layer1.weight", f.Weights); Same("test.x", f.TestX); Same("train.x", f.TrainX); break;
            default: Assert.Fail(model.GetType().Name); break;
        }
        Assert.That(file.Signs("test.y"), Is.EqualTo(model.TestY));
        Assert.That(file.Signs("test.y_clean"), Is.EqualTo(model.TestYClean));
        Assert.That(file.Signs("train.y"), Is.EqualTo(model.TrainY));
        Assert.That(file.Signs("train.y_clean"), Is.EqualTo(model.TrainYClean));
        Assert.That(Errors(Outputs(file), model.TestY), Is.EqualTo(result.Evaluation!.CleanTest.Errors));

        // Keeping the model changes nothing the run computes.
        var plain = Simulator.Run(spec, gemm: ManagedGemm.Instance);
        Assert.That(Results.Json.Write(RunRecord.From(plain, settings.Resolved(spec), EnvironmentInfo.Current(plain.Backend)) with { Timings = record.Timings }),
            Is.EqualTo(Results.Json.Write(record)));

        double estimate = ModelFile.Estimate(spec).Bytes, size = new FileInfo(path).Length;
        Assert.That(size, Is.LessThanOrEqualTo(estimate).And.GreaterThan(estimate - (1 << 16)), "the estimate made before the run bounds the file, with room for the header only");
    }

    private static IEnumerable<KeyValuePair<string, string>> Pairs(string[] options)
    {
        for (int i = 0; i + 1 < options.Length; i += 2)
            yield return KeyValuePair.Create(Simulation.Settings.Keys.All.Single(k => k.OptionName == options[i]).Name, options[i + 1]);
    }

    [Test]
    public void A_reduced_mode_saves_the_naive_network_restricted_to_the_span()
    {
        // Same seed, naive and subspace: the subspace file's network on the span coordinates of the test points gives the
        // naive file's network on the points themselves (the reduction is exact, docs/design.md), so the errors are the same.
        using var dir = new TempDir();
        var naive = Train(dir, "--mode", "naive");
        var subspace = Train(dir, "--mode", "subspace");
        double[] a = Outputs(naive.File), b = Outputs(subspace.File);
        double largest = a.Max(Math.Abs);
        for (int i = 0; i < a.Length; i++) Assert.That(b[i], Is.EqualTo(a[i]).Within(1e-9 * largest), $"test point {i}");
        Assert.That(subspace.File.Signs("test.y"), Is.EqualTo(naive.File.Signs("test.y")));
        Assert.That(Errors(b, subspace.File.Signs("test.y")), Is.EqualTo(Errors(a, naive.File.Signs("test.y"))));
        // Coordinates in an orthonormal basis keep norms of what is in the span: the training inputs are.
        double[] xn = naive.File.Reals("train.x"), xs = subspace.File.Reals("train.x");
        for (int i = 0; i < 10; i++)
        {
            double nn = Enumerable.Range(0, 60).Sum(j => xn[i * 60 + j] * xn[i * 60 + j]);
            double ns = Enumerable.Range(0, 20).Sum(j => xs[i * 20 + j] * xs[i * 20 + j]);
            Assert.That(ns, Is.EqualTo(nn).Within(1e-9 * nn), $"training point {i}");
        }
    }

    [Test]
    public void An_unwritable_path_is_refused_before_training_and_nothing_is_written()
    {
        using var dir = new TempDir();
        var paths = new List<string> { "/proc/model.safetensors" }; // no file can be made in /proc, even by root
        if (!OperatingSystem.IsWindows() && Environment.UserName != "root")
        {
            string locked = dir.Sub("locked");
            Directory.CreateDirectory(locked);
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            paths.Add(Path.Combine(locked, "model.safetensors"));
        }
        foreach (string path in paths)
        {
            var r = CliRunner.Run(["train", .. Tiny("--iterations", "100000"), "--save-model", path]);
            Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
            Assert.That(r.Err, Does.StartWith("error: --save-model '").And.Contain("is not a writable folder"));
            Assert.That(r.Err.Trim().Split('\n'), Has.Length.EqualTo(1), "one line");
            Assert.That(r.Err, Does.Not.Contain("training:"), "refused before training started");
            Assert.That(r.Out, Is.Empty);
            Assert.That(File.Exists(path), Is.False);
        }
    }

    [Test]
    public void A_path_in_a_folder_that_does_not_exist_is_refused_and_no_folder_is_made()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "missing", "model.safetensors");
        var r = CliRunner.Run(["train", .. Tiny(), "--save-model", path]);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
        Assert.That(r.Err.Trim(), Is.EqualTo($"error: --save-model '{path}': the folder '{Path.GetDirectoryName(path)}' does not exist; create it first (verify writes the model only into a folder that is there)"));
        Assert.That(Directory.Exists(Path.GetDirectoryName(path)), Is.False, "verify creates no folder for a model");
        Assert.That(Directory.EnumerateFileSystemEntries(dir.Path), Is.Empty);
    }

    [Test]
    public void A_model_too_large_is_refused_before_training_naming_its_size_and_the_way_out()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(["train", .. Tiny("--mode", "naive", "--d", "2e6", "--n-test", "100"), "--save-model", dir.Sub("model.safetensors")]);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.StartWith("error: --save-model: the model file would have 1.94 GiB (first layer m × d = 20 × 2000000, test inputs n_test × d = 100 × 2000000")
            .And.Contain("above the 1 GiB a model file may have").And.Contain("--mode auto or subspace").And.Contain("--n-test"));
        Assert.That(r.Err, Does.Not.Contain("training:"));
        Assert.That(Directory.EnumerateFileSystemEntries(dir.Path), Is.Empty);

        // The same cell in subspace mode is 21 coordinates wide: a few kilobytes.
        var small = RunSettings.Parse(Pairs(Tiny("--d", "2e6", "--n-test", "100", "--mode", "subspace")), "test").ToSpec().Validate();
        Assert.That(ModelFile.Estimate(small).Bytes, Is.LessThan(100_000));
    }

    [Test]
    public void A_diverged_run_saves_no_model()
    {
        using var dir = new TempDir();
        string path = dir.Sub("model.safetensors");
        var r = CliRunner.Run(["train", .. Tiny("--n", "60", "--learning-rate", "1e8"), "--save-model", path]);
        Assert.That(r.ExitCode, Is.EqualTo(3), r.Out + r.Err);
        Assert.That(r.Err, Does.Contain("diverged").And.Contain("no model was saved (--save-model)"));
        Assert.That(Directory.EnumerateFileSystemEntries(dir.Path), Is.Empty);
    }

    [Test]
    public void The_reader_docs_interop_shows_is_the_scripts_and_the_doc_names_every_tensor_and_metadata_key()
    {
        string doc = File.ReadAllText(Repository.Path("docs", "interop.md"));
        string script = File.ReadAllText(Repository.Path("docs", "interop", "load_model.py"));
        string Load(string text)
        {
            int start = text.IndexOf("def load(path):", StringComparison.Ordinal);
            Assert.That(start, Is.GreaterThanOrEqualTo(0), "def load(path):");
            int end = text.IndexOf("    return tensors, meta\n", start, StringComparison.Ordinal);
            return text[start..end];
        }
        Assert.That(Load(doc), Is.EqualTo(Load(script)), "docs/interop.md shows the loader of docs/interop/load_model.py");
        Assert.That(script, Does.Contain($"FORMAT = \"{ModelFile.Format}\""));

        using var dir = new TempDir();
        var (_, _, file) = Train(dir);
        foreach (string name in file.Names) Assert.That(doc, Does.Contain($"| `{name}` |"), $"the doc's table lists tensor {name}");
        foreach (string key in file.Metadata.Keys) Assert.That(doc, Does.Contain($"`{key}`"), $"the doc lists metadata key {key}");
    }

    [Test]
    public void A_model_replaces_an_earlier_file_atomically()
    {
        using var dir = new TempDir();
        string path = dir.Sub("model.safetensors");
        File.WriteAllText(path, "an earlier model");
        var r = CliRunner.Run(["train", .. Tiny(), "--save-model", path]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        Assert.That(new SafeTensorsFile(path).Metadata["format"], Is.EqualTo("verify.model/1"));
        Assert.That(Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName), Is.EqualTo(new[] { "model.safetensors" }), "no temporary file left");
    }
}
