using System.Globalization;
using Verify.Simulation.Attack;
using Verify.Simulation.Data;
using Verify.Simulation.Embedding;
using Verify.Simulation.Model;
using Verify.Simulation.Runs;
using Verify.Verification.Output;

namespace Verify.Verification.Settings;

/// <summary>
/// The settings of one run as named key/value pairs, validated against <see cref="Keys"/> and turned
/// into a <see cref="RunSpec"/>. An unknown key, a malformed value or a value out of range is a
/// <see cref="InvalidInputException"/> naming it: a typo never silently runs a default.
/// </summary>
public static class RunSettings
{
    public static readonly IReadOnlyList<SettingKey> Keys =
    [
        SettingKey.Choice("data", "data source: the Gaussian mixture of the paper or MNIST digits 0/1", "gaussian", "gaussian", "mnist"),
        SettingKey.Int("n", "n, training samples", 100, 1),
        SettingKey.Int("nTest", "test samples (Gaussian data)", 2000, 1),
        SettingKey.Int("d", "d, input dimension (Gaussian data)", 1000, 1),
        SettingKey.Real("mu", "M = ||μ||, signal norm (Gaussian data; noise has unit variance per coordinate)", 5, "a finite number ≥ 0", v => v >= 0),
        SettingKey.Real("alpha", "α, l2 attack budget (0 = standard training)", 0.5, "a finite number ≥ 0", v => v >= 0),
        SettingKey.Real("alphaOverMu", "α/M: sets α = (α/M)·M instead of --alpha", null, "a finite number ≥ 0", v => v >= 0),
        SettingKey.Real("beta", "β, label-noise rate", 0.1, "a number in [0, 0.5)", v => v >= 0 && v < 0.5),
        SettingKey.Real("sigma", "σ, noise standard deviation per coordinate (Gaussian data)", 1, "a finite number > 0", v => v > 0),
        SettingKey.Text("mnistDir", "directory with MNIST IDX files (default: the cache filled by `verify data mnist`)", null),
        new SettingKey("resolution", "MNIST downsampling to k×k pixels by area averaging (d = k²)", "7, 14 or 28", "28", v => v is "7" or "14" or "28"),
        SettingKey.Choice("normalization", "MNIST normalization: each image to unit l2 norm, or per-pixel standardization with training statistics", "unit-norm", "unit-norm", "standardize"),
        SettingKey.Int("m", "m, network width (even)", 1000, 2),
        SettingKey.Choice("activation", "activation φ: leaky ReLU or its H-smooth version", "leaky-relu", "leaky-relu", "smoothed-leaky-relu"),
        SettingKey.Real("gamma", "γ, leaky slope of φ", 0.1, "a number in (0, 1]", v => v > 0 && v <= 1),
        SettingKey.Real("smoothness", "H, smoothness of the smoothed leaky ReLU", 1, "a finite number > 0", v => v > 0),
        SettingKey.Int("iterations", "T, gradient-descent iterations", 1000, 0),
        SettingKey.Real("learningRate", "η, GD step size (default: κ / λ_max(X·Xᵀ/n))", null, "a finite number > 0", v => v > 0),
        SettingKey.Real("learningRateFactor", "κ in the default η = κ / λ_max(X·Xᵀ/n)", DefaultRules.LearningRateFactor, "a finite number > 0", v => v > 0),
        SettingKey.Real("initScale", "ω, initialization scale (default 10⁻³/√d)", null, "a finite number > 0", v => v > 0),
        SettingKey.Int("pgdSteps", "K, PGD steps of the training attack", 20, 0),
        SettingKey.Real("pgdStepSize", "PGD step size of the training attack (default 2.5·α/K)", null, "a finite number > 0", v => v > 0),
        SettingKey.Choice("pgdStart", "start of the training attack", "zero", "zero", "random"),
        SettingKey.Int("pgdRestarts", "runs of the training attack (each extra run starts at random)", 1, 1),
        SettingKey.Real("pgdStopTolerance", "stop a training attack run when no margin improves by more than this", null, "a finite number ≥ 0", v => v >= 0),
        SettingKey.Bool("pgdWarmStart", "start each iteration's attack from the previous perturbation", false),
        SettingKey.Int("evalPgdSteps", "PGD steps of the evaluation attack", 50, 0),
        SettingKey.Real("evalPgdStepSize", "step size of the evaluation attack (default 2.5·α/K)", null, "a finite number > 0", v => v > 0),
        SettingKey.Choice("evalPgdStart", "start of the evaluation attack's first run", "zero", "zero", "random"),
        SettingKey.Int("evalPgdRestarts", "runs of the evaluation attack", 2, 1),
        SettingKey.Choice("mode", "exact reduction: auto, naive (full d), subspace, rotation-invariant", "auto", "auto", "naive", "subspace", "rotation-invariant"),
        SettingKey.Choice("precision", "floating-point precision", "f64", "f64", "f32"),
        SettingKey.Int("recordEvery", "record the training curve every k-th iteration", 1, 1),
        new SettingKey("seed", "the run's seed", "an integer in [0, 2⁶⁴)", "0", v => ulong.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out _)),
    ];

    private static readonly Dictionary<string, SettingKey> ByName = Keys.ToDictionary(k => k.Name, StringComparer.OrdinalIgnoreCase);

    public static SettingKey? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>Checks names and values; returns the canonical-name map. <paramref name="where"/> says where the values came from (for messages).</summary>
    public static Dictionary<string, string> Validate(IEnumerable<KeyValuePair<string, string>> values, string where)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            var key = Find(name) ?? throw new InvalidInputException($"unknown setting '{name}' in {where}{Suggest(name)}");
            if (!key.IsValid(value.Trim()))
                throw new InvalidInputException($"{key.Name} = '{value}' in {where} is not allowed: must be {key.Allowed}");
            result[key.Name] = value.Trim();
        }
        if (result.ContainsKey("alpha") && result.ContainsKey("alphaOverMu"))
            throw new InvalidInputException($"alpha and alphaOverMu are both set in {where}: give one of them");
        return result;
    }

    /// <summary>A did-you-mean hint for a mistyped key.</summary>
    public static string Suggest(string name)
    {
        var best = Keys.Select(k => (k.Name, Distance: Levenshtein(name.ToLowerInvariant(), k.Name.ToLowerInvariant())))
            .OrderBy(t => t.Distance).First();
        return best.Distance <= Math.Max(2, name.Length / 3) ? $" (did you mean '{best.Name}'?)" : $" (known settings: {string.Join(", ", Keys.Select(k => k.Name))})";
    }

    /// <summary>Builds the run from validated settings; absent keys take their defaults.</summary>
    public static RunSpec ToSpec(IReadOnlyDictionary<string, string> s, Func<IReadOnlyDictionary<string, string>, IDataSource>? mnist = null)
    {
        string Get(string k) => s.TryGetValue(k, out var v) ? v : Find(k)!.Default ?? throw new InvalidOperationException($"{k} has no default");
        string? Opt(string k) => s.TryGetValue(k, out var v) ? v : Find(k)!.Default;
        int I(string k) { SettingKey.TryInt(Get(k), out int v); return v; }
        double D(string k) => double.Parse(Get(k), CultureInfo.InvariantCulture);
        double? OD(string k) => Opt(k) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : null;

        double mu = D("mu");
        IDataSource data = Get("data").ToLowerInvariant() switch
        {
            "mnist" => mnist?.Invoke(s) ?? throw new InvalidInputException("data = mnist is not available in this build"),
            _ => new GaussianMixture(I("n"), I("nTest"), I("d"), mu, D("beta"), D("sigma")),
        };
        double alpha = s.ContainsKey("alphaOverMu") ? D("alphaOverMu") * mu : D("alpha");
        var activation = Get("activation").ToLowerInvariant() == "smoothed-leaky-relu"
            ? Activation.Smoothed(D("gamma"), D("smoothness")) : Activation.LeakyRelu(D("gamma"));
        PgdStart Start(string k) => Get(k).ToLowerInvariant() == "random" ? PgdStart.Random : PgdStart.Zero;

        return new RunSpec
        {
            Data = data,
            Alpha = alpha,
            Width = I("m") % 2 == 0 ? I("m") : throw new InvalidInputException($"m = {I("m")} is not allowed: must be an even integer ≥ 2"),
            Activation = activation,
            InitScale = OD("initScale"),
            LearningRate = OD("learningRate"),
            LearningRateFactor = D("learningRateFactor"),
            Iterations = I("iterations"),
            RecordEvery = I("recordEvery"),
            TrainAttack = new PgdSettings(I("pgdSteps"), OD("pgdStepSize"), Start("pgdStart"), I("pgdRestarts"), OD("pgdStopTolerance"), bool.Parse(Get("pgdWarmStart"))),
            EvalAttack = new PgdSettings(I("evalPgdSteps"), OD("evalPgdStepSize"), Start("evalPgdStart"), I("evalPgdRestarts")),
            Mode = Get("mode").ToLowerInvariant() switch
            {
                "naive" => EmbeddingMode.Naive,
                "subspace" => EmbeddingMode.Subspace,
                "rotation-invariant" => EmbeddingMode.RotationInvariant,
                _ => EmbeddingMode.Auto,
            },
            Precision = Get("precision").ToLowerInvariant() == "f32" ? Precision.Single : Precision.Double,
            Seed = ulong.Parse(Get("seed"), CultureInfo.InvariantCulture),
        };
    }

    private static int Levenshtein(string a, string b)
    {
        var prev = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            var cur = new int[b.Length + 1];
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            prev = cur;
        }
        return prev[b.Length];
    }
}
