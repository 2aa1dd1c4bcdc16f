using System.Globalization;
using Verify.Simulation.Runs;
using Split = Verify.Simulation.Settings.MnistSplit;
using Start = Verify.Simulation.Settings.PgdStart;
using Floats = Verify.Simulation.Settings.Precision;
using Flips = Verify.Simulation.Settings.LabelNoise;
using Family = Verify.Simulation.Settings.NoiseFamily;

namespace Verify.Simulation.Settings;

/// <summary>The settings of one PGD attack (training has a stop tolerance and a warm start; evaluation has neither).</summary>
public sealed record AttackKeys(Setting<int> Steps, Setting<double> StepSize, Setting<PgdStart> Start, Setting<int> Restarts,
    Setting<double>? StopTolerance = null, Setting<bool>? WarmStart = null);

/// <summary>
/// Every setting of a run, declared once: name, meaning, symbol, unit, allowed values and default. The command-line
/// options, experiment files, result files, reports and <see cref="RunSpec"/> (its defaults and its checks) all read
/// these declarations; code names a setting by its field here, so a misspelt one does not compile. Adding a setting
/// is one line here plus its use (docs/design.md, "Adding a setting").
/// </summary>
public static class Keys
{
    // Ranges a run can finish within, each alone: far above what the experiments use (T = 1000, PGD-20, evaluation
    // PGD-50 × 2, 20 certificate steps), far below int's 2³¹ − 1, which on its own means a run that never ends
    // (2³¹ certificate steps on a 3-iteration run). Their products are bounded by the work budget (RunWork).
    /// <summary>10⁶: a run records its curve every iteration by default, and a million points (about 100 MB) is what a run file holds.</summary>
    public const int MaxIterations = 1_000_000;
    public const int MaxAttackSteps = 10_000;
    public const int MaxAttackRuns = 100;
    public const int MaxCertifySteps = 1_000;

    public static readonly Setting<DataKind> Data = Choice("data", "data source: the Gaussian mixture of the paper or MNIST digits 0/1", DataKind.Gaussian,
        ("gaussian", DataKind.Gaussian), ("mnist", DataKind.Mnist));
    public static readonly Setting<int> N = Int("n", "n, training samples", 100, 1, symbol: "n");
    public static readonly Setting<int> NTest = Int("nTest", "test samples (Gaussian data)", 2000, 1);
    public static readonly Setting<long> D = Long("d", "d, input dimension (Gaussian data; above 2·10⁹ only the rotation-invariant mode can hold it)", 1000, 1, 1_000_000_000_000_000, "d");
    public static readonly Setting<double> Mu = Real("mu", "M = ||μ||, signal norm (Gaussian data; the theory reads M/σ)", 5, "a finite number ≥ 0", v => v >= 0, "M", "input units");
    public static readonly Setting<double> Alpha = Real("alpha", "α, l2 attack budget (0 = standard training)", 0.5, "a finite number ≥ 0", v => v >= 0, "α", "input units");
    public static readonly Setting<double> AlphaOverMu = Real("alphaOverMu", "α/M: sets α = (α/M)·M instead of --alpha; MNIST: α = (α/M̂)·M̂, with M̂ the class-mean half-distance of the run's own preprocessed training set (clean labels), measured before training and recorded with α in the result", null, "a finite number ≥ 0", v => v >= 0, "α/M");
    public static readonly Setting<double> Beta = Real("beta", "β, label-noise rate", 0.1, "a number in [0, 0.5)", v => v >= 0 && v < 0.5, "β");
    public static readonly Setting<double> Sigma = Real("sigma", "σ, noise standard deviation per coordinate (Gaussian data)", 1, "a finite number > 0", v => v > 0, "σ", "input units");
    public static readonly Setting<LabelNoise> LabelNoise = Choice("labelNoise", "which labels are flipped (Gaussian data): each independently with probability β (random), or the β-fraction of inputs whose clean margin y_c·ξ₁ is lowest (margin) or highest (confident), or where y_c·ξ₂ is lowest (spurious, against the direction e₂ ⊥ μ)",
        Flips.Random, ("random", Flips.Random), ("margin", Flips.Margin), ("confident", Flips.Confident), ("spurious", Flips.Spurious));
    public static readonly Setting<NoiseFamily> Noise = Choice("noise", "law of the noise ξ (Gaussian data): N(0, σ²I) (gaussian); i.i.d. coordinates of density ∝ exp(−z²/2s² − |z|/s), variance σ² (gauss-laplace); N(0, σ²·diag(1, λ₂…λ_d)), a geometric spectrum of condition number noiseCondition off μ, mean σ² (anisotropic)",
        Family.Gaussian, ("gaussian", Family.Gaussian), ("gauss-laplace", Family.GaussLaplace), ("anisotropic", Family.Anisotropic));
    public static readonly Setting<double> NoiseCondition = Real("noiseCondition", "condition number of the anisotropic noise's covariance (noise = anisotropic)", 4, "a number in [1, 1e6]", v => v >= 1 && v <= 1e6);
    public static readonly Setting<string> MnistDir = new("mnistDir", "directory with MNIST IDX files (default: the cache filled by `verify data mnist`)", "a text",
        s => (true, s), s => s, _ => true, false, "");
    public static readonly Setting<int> Resolution = IntOf("resolution", "MNIST downsampling to k×k pixels by area averaging (d = k²)", 28, 7, 14, 28);
    public static readonly Setting<MnistNormalization> Normalization = Choice("normalization", "MNIST normalization: each image to unit l2 norm; or per pixel, (x − mean)/σ with the statistics of the whole training pool (σ ≥ 0.05) or of the run's n training images",
        MnistNormalization.UnitNorm, ("unit-norm", MnistNormalization.UnitNorm), ("standardize-pool", MnistNormalization.StandardizePool), ("standardize-run", MnistNormalization.StandardizeRun));
    public static readonly Setting<MnistSplit> MnistSplit = Choice("mnistSplit", "MNIST digits to train from and test on: a split fixed for every run (train pair / t10k, or a fixed half), or per run (n drawn from all, the rest tested)",
        Split.Fixed, ("fixed", Split.Fixed), ("per-run", Split.PerRun));
    public static readonly Setting<int> Width = new("m", "m, network width (even)", "an even integer in [2, 2147483647]",
        s => (Setting.TryInt(s, out int v), v), Text, v => v >= 2 && v % 2 == 0, true, 1000, "m", whole: true);
    public static readonly Setting<ActivationKind> Activation = Choice("activation", "activation φ: leaky ReLU or its H-smooth version", ActivationKind.LeakyRelu,
        ("leaky-relu", ActivationKind.LeakyRelu), ("smoothed-leaky-relu", ActivationKind.SmoothedLeakyRelu));
    public static readonly Setting<double> Gamma = Real("gamma", "γ, leaky slope of φ", 0.1, "a number in (0, 1]", v => v > 0 && v <= 1, "γ");
    public static readonly Setting<double> Smoothness = Real("smoothness", "H, smoothness of the smoothed leaky ReLU", 1, "a finite number > 0", v => v > 0, "H");
    public static readonly Setting<int> Iterations = Int("iterations", "T, gradient-descent iterations", 1000, 0, MaxIterations, "T");
    public static readonly Setting<double> LearningRate = Real("learningRate", "η, GD step size (default: κ / λ_max(X·Xᵀ/n))", null, "a finite number > 0", v => v > 0, "η");
    public static readonly Setting<double> LearningRateFactor = Real("learningRateFactor", "κ in the default η = κ / λ_max(X·Xᵀ/n)", 2.0, "a finite number > 0", v => v > 0, "κ");
    public static readonly Setting<double> InitScale = Real("initScale", "ω, initialization scale (default 10⁻³/√d)", null, "a finite number > 0", v => v > 0, "ω");
    public static readonly Setting<int> PgdSteps = Int("pgdSteps", "K, PGD steps of the training attack", 20, 0, MaxAttackSteps, "K");
    public static readonly Setting<double> PgdStepSize = Real("pgdStepSize", "PGD step size of the training attack (default 2.5·α/K)", null, "a finite number > 0", v => v > 0);
    public static readonly Setting<PgdStart> PgdStart = StartOf("pgdStart", "start of the training attack");
    public static readonly Setting<int> PgdRestarts = Int("pgdRestarts", "runs of the training attack (each extra run starts at random)", 1, 1, MaxAttackRuns);
    public static readonly Setting<double> PgdStopTolerance = Real("pgdStopTolerance", "stop a training attack run when no margin improves by more than this", null, "a finite number ≥ 0", v => v >= 0);
    public static readonly Setting<bool> PgdWarmStart = new("pgdWarmStart", "start each iteration's attack from the previous perturbation", "true or false",
        s => (bool.TryParse(s, out bool b), b), b => b ? "true" : "false", _ => true, true, false);
    public static readonly Setting<int> EvalPgdSteps = Int("evalPgdSteps", "PGD steps of the evaluation attack", 50, 0, MaxAttackSteps);
    public static readonly Setting<double> EvalPgdStepSize = Real("evalPgdStepSize", "step size of the evaluation attack (default 2.5·α/K)", null, "a finite number > 0", v => v > 0);
    public static readonly Setting<PgdStart> EvalPgdStart = StartOf("evalPgdStart", "start of the evaluation attack's first run");
    public static readonly Setting<int> EvalPgdRestarts = Int("evalPgdRestarts", "runs of the evaluation attack", 2, 1, MaxAttackRuns);
    /// <summary>
    /// Measured at d = 1000, M = 5, α/M = 0.5 (T = 300): the plain bound certifies 790 of 2 000 test points, 20 steps 954,
    /// 100 and 400 steps 955: the ascent has converged by 20, at 3.6 s for the 400 undecided points. Added after results
    /// were stored: at 20 it stays out of a run's identity.
    /// </summary>
    public static readonly Setting<int> CertifySteps = Int("certifySteps", "slope-optimization steps of the robustness certificate (α-CROWN) for test points the plain bound and the attack leave undecided (20 reach the optimum in the cases measured); 0: plain bound only", 20, 0, MaxCertifySteps);
    public static readonly Setting<EmbeddingMode> Mode = Choice("mode", "exact reduction: auto, naive (full d), subspace, rotation-invariant", EmbeddingMode.Auto,
        ("auto", EmbeddingMode.Auto), ("naive", EmbeddingMode.Naive), ("subspace", EmbeddingMode.Subspace), ("rotation-invariant", EmbeddingMode.RotationInvariant));
    public static readonly Setting<Precision> Precision = Choice("precision", "floating-point precision", Floats.Double,
        ("f64", Floats.Double), ("f32", Floats.Single));
    public static readonly Setting<int> RecordEvery = Int("recordEvery", "record the training curve every k-th iteration", 1, 1);
    public static readonly Setting<ulong> Seed = new("seed", "the run's seed", "an integer in [0, 2⁶⁴)",
        s => (ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ulong u), u), u => u.ToString(CultureInfo.InvariantCulture), _ => true, true, 0UL, whole: true);

    /// <summary>The settings of the attack during training, and of the evaluation attack.</summary>
    public static readonly AttackKeys TrainingAttack = new(PgdSteps, PgdStepSize, PgdStart, PgdRestarts, PgdStopTolerance, PgdWarmStart);
    public static readonly AttackKeys EvaluationAttack = new(EvalPgdSteps, EvalPgdStepSize, EvalPgdStart, EvalPgdRestarts);

    /// <summary>Every setting, in the order of the help text.</summary>
    public static readonly IReadOnlyList<Setting> All =
    [
        Data, N, NTest, D, Mu, Alpha, AlphaOverMu, Beta, Sigma, LabelNoise, Noise, NoiseCondition, MnistDir, Resolution, Normalization, MnistSplit, Width, Activation, Gamma, Smoothness,
        Iterations, LearningRate, LearningRateFactor, InitScale, PgdSteps, PgdStepSize, PgdStart, PgdRestarts, PgdStopTolerance, PgdWarmStart,
        EvalPgdSteps, EvalPgdStepSize, EvalPgdStart, EvalPgdRestarts, CertifySteps, Mode, Precision, RecordEvery, Seed,
    ];

    /// <summary>The settings only the Gaussian mixture has, and those only MNIST has: a run of the other source refuses them.</summary>
    public static readonly IReadOnlyList<Setting> GaussianOnly = [NTest, D, Mu, Sigma, LabelNoise, Noise, NoiseCondition];
    public static readonly IReadOnlyList<Setting> MnistOnly = [MnistDir, Resolution, Normalization, MnistSplit];

    static Keys()
    {
        // α and α/M set one budget two ways; certifySteps and the noise settings came after the first stored results
        // (their defaults, random flips of Gaussian noise, draw exactly what those runs drew).
        Alpha.Excludes = AlphaOverMu;
        AlphaOverMu.Excludes = Alpha;
        CertifySteps.AddedLater = true;
        LabelNoise.AddedLater = true;
        Noise.AddedLater = true;
        NoiseCondition.AddedLater = true;
    }

    private static readonly Dictionary<string, Setting> ByName = All.ToDictionary(k => k.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The setting of this name (any case), or null.</summary>
    public static Setting? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The setting, or an input error naming the unknown name with a did-you-mean hint.</summary>
    public static Setting Get(string name, string where) => Find(name) ?? throw new InvalidInputException($"unknown setting '{name}' in {where}{Suggest(name)}");

    /// <summary>A did-you-mean hint for a mistyped name.</summary>
    public static string Suggest(string name)
    {
        var best = All.Select(k => (k.Name, Distance: Levenshtein(name.ToLowerInvariant(), k.Name.ToLowerInvariant()))).OrderBy(t => t.Distance).First();
        return best.Distance <= Math.Max(2, name.Length / 3) ? $" (did you mean '{best.Name}'?)" : $" (known settings: {string.Join(", ", All.Select(k => k.Name))})";
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

    private static string Text(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static Setting<int> Int(string name, string description, int def, int min, int max = int.MaxValue, string? symbol = null)
        => new(name, description, $"an integer in [{min}, {max}]", s => (Setting.TryInt(s, out int v), v), Text, v => v >= min && v <= max, true, def, symbol, whole: true);

    private static Setting<int> IntOf(string name, string description, int def, params int[] values)
        => new(name, description, string.Join(", ", values[..^1]) + " or " + values[^1], s => (Setting.TryInt(s, out int v), v), Text, values.Contains, true, def, whole: true);

    /// <summary>A whole number beyond int's range (the dimension d reaches 10¹⁵ in the rotation-invariant mode).</summary>
    private static Setting<long> Long(string name, string description, long def, long min, long max, string? symbol = null)
        => new(name, description, $"a whole number in [{min}, {Power(max)}]", s => (Setting.TryLong(s, out long v), v), v => v.ToString(CultureInfo.InvariantCulture),
            v => v >= min && v <= max, true, def, symbol, whole: true);

    private static string Power(long v) => v >= 1_000_000 && v % 10 == 0 && Math.Pow(10, Math.Round(Math.Log10(v))) == v ? $"1e{Math.Round(Math.Log10(v))}" : v.ToString(CultureInfo.InvariantCulture);

    private static Setting<double> Real(string name, string description, double? def, string allowed, Func<double, bool> ok, string? symbol = null, string? unit = null)
        => new(name, description, allowed, s => (Setting.TryReal(s, out double v), v), v => v.ToString("R", CultureInfo.InvariantCulture),
            v => double.IsFinite(v) && ok(v), def.HasValue, def ?? 0, symbol, unit);

    /// <summary>A choice among named values (matched in any case; written in lower case).</summary>
    private static Setting<TValue> Choice<TValue>(string name, string description, TValue def, params (string Text, TValue Value)[] choices) where TValue : struct, Enum
        => new(name, description, "one of " + string.Join(", ", choices.Select(c => c.Text)),
            s => choices.FirstOrDefault(c => string.Equals(c.Text, s, StringComparison.OrdinalIgnoreCase)) is { Text: not null } c ? (true, c.Value) : (false, default),
            v => choices.First(c => c.Value.Equals(v)).Text, v => choices.Any(c => c.Value.Equals(v)), true, def);

    private static Setting<PgdStart> StartOf(string name, string description)
        => Choice(name, description, Start.Zero, ("zero", Start.Zero), ("random", Start.Random));
}
