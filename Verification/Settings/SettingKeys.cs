using Verify.Simulation.Runs;

namespace Verify.Verification.Settings;

/// <summary>
/// The table of run settings: every key a run has, with its meaning, range, default and parser. The
/// `train` and `bench` options, experiment configs, result files and reports all read it, so a quantity
/// has one name everywhere (camelCase in files, --kebab-case on the command line).
/// </summary>
internal static class SettingKeys
{
    // Ranges a run can finish within, each alone: far above what the experiments use (T = 1000, PGD-20, evaluation
    // PGD-50 × 2, 20 certificate steps), far below int's 2³¹ − 1, which on its own means a run that never ends
    // (2³¹ certificate steps on a 3-iteration run). Their products are bounded by RunWork.Budget.
    /// <summary>10⁶: a run records its curve every iteration by default, and a million points (about 100 MB) is what a run file holds (InputLimits.RunFile).</summary>
    public const int MaxIterations = 1_000_000;
    public const int MaxAttackSteps = 10_000;
    public const int MaxAttackRuns = 100;
    public const int MaxCertifySteps = 1_000;

    public static readonly IReadOnlyList<SettingKey> All =
    [
        SettingKey.Choice("data", "data source: the Gaussian mixture of the paper or MNIST digits 0/1", "gaussian", "gaussian", "mnist"),
        SettingKey.Int("n", "n, training samples", 100, 1),
        SettingKey.Int("nTest", "test samples (Gaussian data)", 2000, 1),
        SettingKey.Long("d", "d, input dimension (Gaussian data; above 2·10⁹ only the rotation-invariant mode can hold it)", 1000, 1, 1_000_000_000_000_000),
        SettingKey.Real("mu", "M = ||μ||, signal norm (Gaussian data; noise has unit variance per coordinate)", 5, "a finite number ≥ 0", v => v >= 0),
        SettingKey.Real("alpha", "α, l2 attack budget (0 = standard training)", 0.5, "a finite number ≥ 0", v => v >= 0),
        SettingKey.Real("alphaOverMu", "α/M: sets α = (α/M)·M instead of --alpha; MNIST: α = (α/M̂)·M̂, with M̂ the class-mean half-distance of the run's own preprocessed training set (clean labels), measured before training and recorded with α in the result", null, "a finite number ≥ 0", v => v >= 0),
        SettingKey.Real("beta", "β, label-noise rate", 0.1, "a number in [0, 0.5)", v => v >= 0 && v < 0.5),
        SettingKey.Real("sigma", "σ, noise standard deviation per coordinate (Gaussian data)", 1, "a finite number > 0", v => v > 0),
        SettingKey.Text("mnistDir", "directory with MNIST IDX files (default: the cache filled by `verify data mnist`)"),
        SettingKey.IntOf("resolution", "MNIST downsampling to k×k pixels by area averaging (d = k²)", 28, 7, 14, 28),
        SettingKey.Choice("normalization", "MNIST normalization: each image to unit l2 norm; or per pixel, (x − mean)/σ with the statistics of the whole training pool (σ ≥ 0.05) or of the run's n training images",
            "unit-norm", "unit-norm", "standardize-pool", "standardize-run"),
        SettingKey.Choice("mnistSplit", "MNIST digits to train from and test on: a split fixed for every run (train pair / t10k, or a fixed half), or per run (n drawn from all, the rest tested)",
            "fixed", "fixed", "per-run"),
        SettingKey.Int("m", "m, network width (even)", 1000, 2),
        SettingKey.Choice("activation", "activation φ: leaky ReLU or its H-smooth version", "leaky-relu", "leaky-relu", "smoothed-leaky-relu"),
        SettingKey.Real("gamma", "γ, leaky slope of φ", 0.1, "a number in (0, 1]", v => v > 0 && v <= 1),
        SettingKey.Real("smoothness", "H, smoothness of the smoothed leaky ReLU", 1, "a finite number > 0", v => v > 0),
        SettingKey.Int("iterations", "T, gradient-descent iterations", 1000, 0, MaxIterations),
        SettingKey.Real("learningRate", "η, GD step size (default: κ / λ_max(X·Xᵀ/n))", null, "a finite number > 0", v => v > 0),
        SettingKey.Real("learningRateFactor", "κ in the default η = κ / λ_max(X·Xᵀ/n)", DefaultRules.LearningRateFactor, "a finite number > 0", v => v > 0),
        SettingKey.Real("initScale", "ω, initialization scale (default 10⁻³/√d)", null, "a finite number > 0", v => v > 0),
        SettingKey.Int("pgdSteps", "K, PGD steps of the training attack", 20, 0, MaxAttackSteps),
        SettingKey.Real("pgdStepSize", "PGD step size of the training attack (default 2.5·α/K)", null, "a finite number > 0", v => v > 0),
        SettingKey.Choice("pgdStart", "start of the training attack", "zero", "zero", "random"),
        SettingKey.Int("pgdRestarts", "runs of the training attack (each extra run starts at random)", 1, 1, MaxAttackRuns),
        SettingKey.Real("pgdStopTolerance", "stop a training attack run when no margin improves by more than this", null, "a finite number ≥ 0", v => v >= 0),
        SettingKey.Bool("pgdWarmStart", "start each iteration's attack from the previous perturbation", false),
        SettingKey.Int("evalPgdSteps", "PGD steps of the evaluation attack", 50, 0, MaxAttackSteps),
        SettingKey.Real("evalPgdStepSize", "step size of the evaluation attack (default 2.5·α/K)", null, "a finite number > 0", v => v > 0),
        SettingKey.Choice("evalPgdStart", "start of the evaluation attack's first run", "zero", "zero", "random"),
        SettingKey.Int("evalPgdRestarts", "runs of the evaluation attack", 2, 1, MaxAttackRuns),
        SettingKey.Int("certifySteps", "slope-optimization steps of the robustness certificate (α-CROWN) for test points the plain bound and the attack leave undecided (20 reach the optimum in the cases measured); 0: plain bound only", 20, 0, MaxCertifySteps)
            .AddedAfterResults(),
        SettingKey.Choice("mode", "exact reduction: auto, naive (full d), subspace, rotation-invariant", "auto", "auto", "naive", "subspace", "rotation-invariant"),
        SettingKey.Choice("precision", "floating-point precision", "f64", "f64", "f32"),
        SettingKey.Int("recordEvery", "record the training curve every k-th iteration", 1, 1),
        SettingKey.Seed("seed", "the run's seed"),
    ];

    private static readonly Dictionary<string, SettingKey> ByName = All.ToDictionary(k => k.Name, StringComparer.OrdinalIgnoreCase);

    public static SettingKey? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The key, or an input error naming the unknown name with a did-you-mean hint.</summary>
    public static SettingKey Get(string name, string where) => Find(name) ?? throw new InvalidInputException($"unknown setting '{name}' in {where}{Suggest(name)}");

    /// <summary>A did-you-mean hint for a mistyped key.</summary>
    public static string Suggest(string name)
    {
        var best = All.Select(k => (k.Name, Distance: Levenshtein(name.ToLowerInvariant(), k.Name.ToLowerInvariant())))
            .OrderBy(t => t.Distance).First();
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
}
