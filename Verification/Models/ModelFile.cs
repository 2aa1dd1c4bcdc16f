using System.Globalization;
using System.Text.Json;
using Verify.Simulation.Data;
using Verify.Simulation.Files;
using Verify.Simulation.Runs;
using Verify.Simulation.Settings;
using Verify.Verification.Results;
using Verify.Verification.Settings;

namespace Verify.Verification.Models;

/// <summary>
/// `verify train --save-model PATH`: the trained network, the points it was trained and tested on and the run's
/// description, as one safetensors file (docs/interop.md has the format and a numpy reader). Everything is in the
/// coordinates the run used (naive: R^d; subspace: the span's basis; rotation-invariant: its reduced basis), where
/// the network is exact (<see cref="TrainedModel"/>):
/// <list type="table">
/// <item><c>layer1.weight</c> [m, R], F64 or F32: the rows w_s.</item>
/// <item><c>layer2.weight</c> [1, m], F64 or F32: a_s/√m, the fixed second layer (as the run computed 1/√m).</item>
/// <item><c>layer2.sign</c> [m], I8: a_s ∈ {+1, −1}.</item>
/// <item><c>test.x</c> [n_test, R], F64 or F32; <c>test.y</c>, <c>test.y_clean</c> [n_test], I8: the test inputs with their noisy and clean labels.</item>
/// <item><c>train.x</c> [n, R]; <c>train.y</c>, <c>train.y_clean</c> [n]: the same for the training set.</item>
/// </list>
/// The metadata (all strings) are listed by <see cref="Metadata"/>. The file is written atomically; what can be
/// checked before the run (the path, its folder, the file's size) is checked by <see cref="Check"/>.
/// </summary>
internal static class ModelFile
{
    public const string Option = "--save-model";

    /// <summary>The format's name and version, the metadata's "format": a reader checks it before anything else.</summary>
    public const string Format = "verify.model/1";

    /// <summary>The largest model file written: 1 GiB. The test inputs in naive mode at large d pass it (n_test × d); the reduced modes stay far below.</summary>
    public const long MaxBytes = 1L << 30;

    /// <summary>Room for the header (the settings' JSON and the metadata) in the size estimated before the run.</summary>
    private const long HeaderAllowance = 1 << 16;

    /// <summary>Test points an MNIST run can hold at most: both 0/1 pairs of the full dataset (12 665 + 2 115).</summary>
    private const int MnistTestBound = 14_780;

    /// <summary>
    /// Before the run: the path is a file path (not a folder, not --out's file) in a folder that exists and is writable,
    /// where nothing but a regular file is, and the file this run would write is at most <see cref="MaxBytes"/>.
    /// Input errors name <see cref="Option"/>.
    /// </summary>
    public static void Check(string path, RunSpec spec, string? outFile)
    {
        if (string.IsNullOrWhiteSpace(path)) throw InvalidInputException.MustBe(Option, "''", "a file path");
        string full;
        try { full = Path.GetFullPath(path); }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw InvalidInputException.MustBe(Option, $"'{InputFile.Printable(path)}'", $"a file path ({ex.Message})");
        }
        if (outFile is not null && !string.IsNullOrWhiteSpace(outFile) && Path.GetFullPath(outFile) == full)
            throw new InvalidInputException($"{Option} and --out name the same file '{InputFile.Printable(path)}'; give each its own");
        string folder = Path.GetDirectoryName(full) ?? full;
        if (!Directory.Exists(folder) && !File.Exists(folder) && !full.EndsWith(Path.DirectorySeparatorChar))
            throw new InvalidInputException($"{Option} '{InputFile.Printable(path)}': the folder '{InputFile.Printable(folder)}' does not exist; "
                + "create it first (verify writes the model only into a folder that is there)");
        WritableFolder.CheckFile(path, Option, createFolder: false);

        var (bytes, what) = Estimate(spec);
        if (bytes > MaxBytes)
            throw new InvalidInputException($"{Option}: the model file would have {Size(bytes)} ({what}), above the {Size(MaxBytes)} a model file may have"
                + Advice(spec));
    }

    /// <summary>An upper bound on the file's size for <paramref name="spec"/>, known before the run, and what makes it up.</summary>
    public static (double Bytes, string What) Estimate(RunSpec spec)
    {
        var mode = Simulator.ResolveMode(spec);
        double n = spec.Data.TrainingCount, d = spec.Data.Dimension, m = spec.Width;
        double nTest = spec.Data is GaussianMixture g ? g.NTest : MnistTestBound;
        double r = mode == EmbeddingMode.Naive ? d : m / 2 + n + (mode == EmbeddingMode.RotationInvariant ? 1 : 0);
        int size = spec.Precision == Precision.Double ? 8 : 4;
        double reals = m * r + m + n * r + nTest * r, signs = m + 2 * n + 2 * nTest;
        string rName = mode == EmbeddingMode.Naive ? Keys.D.Name : mode == EmbeddingMode.Subspace ? "(m/2 + n)" : "(m/2 + n + 1)";
        string what = $"first layer m × {rName} = {m:0} × {r:0}, test inputs n_test × {rName} = {nTest:0} × {r:0} and training inputs n × {rName} = {n:0} × {r:0} "
            + $"in {Keys.Precision.Format(spec.Precision)}, mode {Keys.Mode.Format(mode)}";
        return (reals * size + signs + HeaderAllowance, what);
    }

    private static string Advice(RunSpec spec)
    {
        var mode = Simulator.ResolveMode(spec);
        int k = spec.Width / 2 + spec.Data.TrainingCount;
        var ways = new List<string>();
        if (mode == EmbeddingMode.Naive && spec.Data.Dimension > k && !spec.TrainingAttackStartsAtRandom)
            ways.Add($"--mode auto or subspace (the exact reduction to coordinates of dimension m/2 + n = {k}, where the saved network is the same)");
        if (spec.Data is GaussianMixture) ways.Add("fewer test points (--n-test)");
        if (spec.Precision == Precision.Double) ways.Add("--precision f32");
        ways.Add("smaller settings (m, n, d)");
        return "; use " + string.Join(", ", ways);
    }

    private static string Size(double bytes) => bytes >= 1 << 30
        ? (bytes / (1 << 30)).ToString("0.##", CultureInfo.InvariantCulture) + " GiB"
        : (bytes / (1 << 20)).ToString("0.##", CultureInfo.InvariantCulture) + " MiB";

    /// <summary>The tensors of <paramref name="model"/>, in the order they are written.</summary>
    public static IReadOnlyList<SafeTensor> Tensors(TrainedModel model) => model switch
    {
        TrainedModel<double> d => Tensors(d),
        TrainedModel<float> f => Tensors(f),
        _ => throw new ArgumentException($"a model in {model.Precision} has no safetensors form here"),
    };

    private static IReadOnlyList<SafeTensor> Tensors<T>(TrainedModel<T> model) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int m = model.Width, r = model.BasisDimension;
        var signs = new sbyte[m];
        var second = new T[m];
        for (int s = 0; s < m; s++)
        {
            signs[s] = (sbyte)model.OutputSign(s);
            second[s] = model.OutputSign(s) > 0 ? model.OutputScale : -model.OutputScale;
        }
        // The real tensors first, the int8 labels and signs after them: every tensor starts aligned to its element size.
        return
        [
            new("layer1.weight", [m, r], model.Weights.Data),
            new("layer2.weight", [1, m], second),
            new("test.x", [model.TestX.Rows, r], model.TestX.Data),
            new("train.x", [model.TrainX.Rows, r], model.TrainX.Data),
            new("layer2.sign", [m], signs),
            new("test.y", [model.TestY.Length], model.TestY),
            new("test.y_clean", [model.TestYClean.Length], model.TestYClean),
            new("train.y", [model.TrainY.Length], model.TrainY),
            new("train.y_clean", [model.TrainYClean.Length], model.TrainYClean),
        ];
    }

    /// <summary>
    /// The metadata, every value a string (safetensors allows no other): the format, the run (id, seed, settings as JSON,
    /// mode, precision, kernel, version, dataset), the network (dimensions, activation with γ and H, α), and the run's
    /// measured test errors as counts and rates, against the noisy and the clean labels. A key that is also a setting's
    /// name holds that quantity as the run used it (mode and precision as they ran, α resolved, nTest as counted).
    /// </summary>
    public static Dictionary<string, string> Metadata(TrainedModel model, RunRecord record)
    {
        static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        static string I(long v) => v.ToString(CultureInfo.InvariantCulture);
        var p = record.Provenance;
        var meta = new Dictionary<string, string>
        {
            ["format"] = Format,
            ["runId"] = RunId.Of(record.Settings),
            [Keys.Seed.Name] = record.Seed.ToString(CultureInfo.InvariantCulture),
            ["settings"] = JsonSerializer.Serialize(record.Settings, Compact),
            [Keys.Mode.Name] = Keys.Mode.Format(model.Mode),
            [Keys.Precision.Name] = model.Precision,
            ["backend"] = p.Backend,
            ["version"] = p.Version,
            ["dataset"] = p.Dataset,
            ["ambientDimension"] = I((long)model.AmbientDimension),
            ["basisDimension"] = I(model.BasisDimension),
            ["width"] = I(model.Width),
            [Keys.Activation.Name] = model.Activation.Kind == ActivationKind.Identity ? "identity" : Keys.Activation.Format(model.Activation.Kind),
            [Keys.Gamma.Name] = R(model.Activation.Gamma),
            [Keys.Smoothness.Name] = R(model.Activation.Smoothness),
            [Keys.Alpha.Name] = R(p.Alpha),
            ["nTrain"] = I(model.TrainY.Length),
            [Keys.NTest.Name] = I(model.TestY.Length),
        };
        if (record.Metrics is { } x)
        {
            // A count ("…Errors", of the nTest or nTrain points) and its rate ("…Error").
            void Add(string count, string rate, Estimate e)
            {
                meta[count] = I(e.Errors);
                meta[rate] = R(e.Rate);
            }
            Add("cleanTestErrors", "cleanTestError", x.CleanTest);
            Add("cleanTestErrorsCleanLabels", "cleanTestErrorCleanLabels", x.CleanTestCleanLabels);
            Add("robustTestErrors", "robustTestError", x.RobustTest);
            Add("robustTestErrorsCleanLabels", "robustTestErrorCleanLabels", x.RobustTestCleanLabels);
            if (x.RobustTestCertified is { } c) Add("robustTestErrorsCertified", "robustTestErrorCertified", c);
            Add("cleanTrainErrors", "cleanTrainError", x.CleanTrain);
            Add("robustTrainErrors", "robustTrainError", x.RobustTrain);
        }
        return meta;
    }

    private static readonly JsonSerializerOptions Compact = new(Results.Json.Options) { WriteIndented = false };

    /// <summary>Writes the file atomically (a temporary file in the same folder, renamed into place); the folder must exist.</summary>
    public static void Write(string path, TrainedModel model, RunRecord record)
    {
        var tensors = Tensors(model);
        var metadata = Metadata(model, record);
        AtomicFile.Write(path, stream => SafeTensors.Write(stream, tensors, metadata), createFolder: false);
    }
}
