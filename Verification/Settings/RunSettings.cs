using System.Text.Json;
using System.Text.Json.Serialization;
using Verify.Simulation.Attack;
using Verify.Simulation.Data;
using Verify.Simulation.Data.Mnist;
using Verify.Simulation.Embedding;
using Verify.Simulation.Model;
using Verify.Simulation.Runs;
using Verify.Verification.Downloads;

namespace Verify.Verification.Settings;

/// <summary>
/// The settings of one run (or cell), typed: each value was parsed once, by its <see cref="SettingKey"/>,
/// from an option, a config file or a result file. Immutable; equal when every value is equal. In JSON
/// an object of typed values (numbers as numbers); reading also accepts the strings of schema-1 files.
/// </summary>
[JsonConverter(typeof(RunSettingsJsonConverter))]
internal sealed class RunSettings : IEquatable<RunSettings>
{
    private readonly SortedDictionary<string, object> _values;

    private static readonly string[] GaussianOnly = ["nTest", "d", "mu", "sigma"];
    private static readonly string[] MnistOnly = ["mnistDir", "resolution", "normalization", "mnistSplit"];

    private RunSettings(SortedDictionary<string, object> values) => _values = values;

    public static RunSettings Empty { get; } = new(new SortedDictionary<string, object>(StringComparer.Ordinal));

    /// <summary>
    /// Parses named texts (later ones override earlier ones). An unknown name or a value out of range is an
    /// input error naming it and <paramref name="where"/> the values came from.
    /// </summary>
    public static RunSettings Parse(IEnumerable<KeyValuePair<string, string>> texts, string where)
    {
        var values = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, text) in texts)
        {
            var key = SettingKeys.Get(name, where);
            values[key.Name] = key.Parse(text, where);
        }
        if (values.ContainsKey("alpha") && values.ContainsKey("alphaOverMu"))
            throw new InvalidInputException($"alpha and alphaOverMu are both set in {where}: give one of them");
        return new RunSettings(values);
    }

    /// <summary>This with <paramref name="name"/> set to an already typed <paramref name="value"/> (checked against its key).</summary>
    public RunSettings With(string name, object value)
    {
        var key = SettingKeys.Find(name) ?? throw new ArgumentException($"unknown setting '{name}'", nameof(name));
        if (!key.Accepts(value)) throw new ArgumentException($"{name} = {value} ({value.GetType().Name}) is not a value of this setting", nameof(value));
        return new RunSettings(new SortedDictionary<string, object>(_values, StringComparer.Ordinal) { [key.Name] = value });
    }

    /// <summary>This with every value of <paramref name="other"/> set over it.</summary>
    public RunSettings With(RunSettings other)
    {
        var values = new SortedDictionary<string, object>(_values, StringComparer.Ordinal);
        foreach (var (k, v) in other._values) values[k] = v;
        return new RunSettings(values);
    }

    public RunSettings Without(params string[] names)
    {
        var values = new SortedDictionary<string, object>(_values, StringComparer.Ordinal);
        foreach (var n in names) values.Remove(n);
        return new RunSettings(values);
    }

    public bool Has(string name) => _values.ContainsKey(name);
    public IEnumerable<string> Names => _values.Keys;
    public int Count => _values.Count;

    /// <summary>The value, or the key's default when absent (null when it has none).</summary>
    public object? Value(string name) => _values.TryGetValue(name, out var v) ? v : SettingKeys.Find(name)?.Default;

    public int Int(string name) => (int)Required(name);
    public long Long(string name) => (long)Required(name);
    public double Real(string name) => (double)Required(name);
    public double? OptionalReal(string name) => (double?)Value(name);
    public bool Bool(string name) => (bool)Required(name);
    public string Choice(string name) => (string)Required(name);
    public string? Text(string name) => (string?)Value(name);
    public ulong Seed => (ulong)Required("seed");

    /// <summary>The canonical text of a value that is set, or null.</summary>
    public string? TextOf(string name) => _values.TryGetValue(name, out var v) ? SettingKeys.Find(name)!.Format(v) : null;

    /// <summary>Every value set, as canonical text (for tables and CSV).</summary>
    public IReadOnlyDictionary<string, string> Texts => _values.ToDictionary(kv => kv.Key, kv => SettingKeys.Find(kv.Key)!.Format(kv.Value), StringComparer.Ordinal);

    /// <summary>
    /// "k=v;k=v" over every value but the seed, in ordinal order: the identity of a cell (and, with the seed, of a
    /// result file). Keys added after results were stored are left out at their default (<see cref="SettingKey.AddedLater"/>).
    /// </summary>
    public string CellKey => string.Join(";", Identity.Where(kv => kv.Key != "seed").Select(kv => $"{kv.Key}={SettingKeys.Find(kv.Key)!.Format(kv.Value)}"));

    private IEnumerable<KeyValuePair<string, object>> Identity => _values.Where(kv => SettingKeys.Find(kv.Key)!.InIdentity(kv.Value));

    private object Required(string name) => Value(name) ?? throw new InvalidOperationException($"{name} has no value and no default");

    /// <summary>
    /// The run these settings describe. Nothing is parsed here and nothing is read from disk: an MNIST
    /// run names its folder (the cache when none is given); that the files are there is checked before
    /// work starts (<see cref="MnistLocator.Check"/>).
    /// </summary>
    public RunSpec ToSpec()
    {
        // A setting of the other data source would be silently ignored: say so instead.
        bool mnist = Choice("data") == "mnist";
        foreach (var k in mnist ? GaussianOnly : MnistOnly)
            if (Has(k))
                throw new InvalidInputException($"{k} = {TextOf(k)} does not apply to data = {Choice("data")} "
                    + (mnist ? "(MNIST's dimension is resolution², its test set the remaining digits)" : "(it is an MNIST setting)") + ": remove it or change data");
        double mu = Real("mu");
        double? alphaOverMu = OptionalReal("alphaOverMu");
        IDataSource data = mnist
            ? new MnistDataSource(Text("mnistDir") is { } dir ? Path.GetFullPath(dir) : CacheLocation.Mnist(), Int("resolution"),
                Choice("normalization") switch
                {
                    "standardize-pool" => MnistNormalization.StandardizePool,
                    "standardize-run" => MnistNormalization.StandardizeRun,
                    _ => MnistNormalization.UnitNorm,
                }, Int("n"), Real("beta"), Choice("mnistSplit") == "per-run" ? MnistSplit.PerRun : MnistSplit.Fixed)
            : new GaussianMixture(Int("n"), Int("nTest"), Long("d"), mu, Real("beta"), Real("sigma"));
        PgdStart Start(string k) => Choice(k) == "random" ? PgdStart.Random : PgdStart.Zero;
        return new RunSpec
        {
            Data = data,
            // Gaussian: M is a setting, so α = (α/M)·M now. MNIST: M̂ is measured on the run's training set, so the run
            // resolves α = (α/M̂)·M̂ itself once its data are realized (RunSpec.ResolveAlpha).
            Alpha = alphaOverMu is { } ratio ? (mnist ? 0 : ratio * mu) : Real("alpha"),
            AlphaOverSignalNorm = mnist ? alphaOverMu : null,
            Width = Int("m"),
            Activation = Choice("activation") == "smoothed-leaky-relu" ? Activation.Smoothed(Real("gamma"), Real("smoothness")) : Activation.LeakyRelu(Real("gamma")),
            InitScale = OptionalReal("initScale"),
            LearningRate = OptionalReal("learningRate"),
            LearningRateFactor = Real("learningRateFactor"),
            Iterations = Int("iterations"),
            RecordEvery = Int("recordEvery"),
            TrainAttack = new PgdSettings(Int("pgdSteps"), OptionalReal("pgdStepSize"), Start("pgdStart"), Int("pgdRestarts"), OptionalReal("pgdStopTolerance"), Bool("pgdWarmStart")),
            EvalAttack = new PgdSettings(Int("evalPgdSteps"), OptionalReal("evalPgdStepSize"), Start("evalPgdStart"), Int("evalPgdRestarts")),
            CertifySteps = Int("certifySteps"),
            Mode = Choice("mode") switch
            {
                "naive" => EmbeddingMode.Naive,
                "subspace" => EmbeddingMode.Subspace,
                "rotation-invariant" => EmbeddingMode.RotationInvariant,
                _ => EmbeddingMode.Auto,
            },
            Precision = Choice("precision") == "f32" ? Precision.Single : Precision.Double,
            Seed = Seed,
        };
    }

    /// <summary>
    /// What results record and hash: every default filled in, α resolved where it is known before the run (α/M
    /// given for Gaussian data becomes α, so equivalent runs share one identity), and the settings of the other
    /// data source dropped (they cannot split identical runs). An MNIST run given α/M̂ keeps alphaOverMu and has
    /// no alpha: its α is fraction · M̂ of its own training set, known once the data are realized, and recorded in
    /// its result (provenance alpha and signalNorm).
    /// </summary>
    public RunSettings Resolved(RunSpec spec)
    {
        var values = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var k in SettingKeys.All)
            if (Value(k.Name) is { } v) values[k.Name] = v;
        if (spec.AlphaOverSignalNorm is { } fraction)
        {
            values["alphaOverMu"] = fraction;
            values.Remove("alpha");
        }
        else
        {
            values["alpha"] = spec.Alpha;
            values.Remove("alphaOverMu");
        }
        string[] irrelevant = Choice("data") == "mnist" ? GaussianOnly : MnistOnly;
        foreach (var k in irrelevant) values.Remove(k);
        return new RunSettings(values);
    }

    /// <summary>Equal identities: the same values, a key added later being equal at its default whether it is written or not.</summary>
    public bool Equals(RunSettings? other)
    {
        if (other is null) return false;
        var mine = Identity.ToList();
        return mine.Count == other.Identity.Count() && mine.All(kv => other._values.TryGetValue(kv.Key, out var v) && v.Equals(kv.Value));
    }

    public override bool Equals(object? obj) => Equals(obj as RunSettings);

    public override int GetHashCode() => CellKey.GetHashCode(StringComparison.Ordinal) ^ Value("seed")!.GetHashCode();

    public override string ToString() => string.Join(";", Texts.Select(kv => $"{kv.Key}={kv.Value}"));

    private sealed class RunSettingsJsonConverter : JsonConverter<RunSettings>
    {
        public override RunSettings Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var doc = JsonDocument.ParseValue(ref reader);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("settings must be a JSON object");
            var values = new SortedDictionary<string, object>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                var key = SettingKeys.Find(p.Name) ?? throw new JsonException($"unknown setting '{p.Name}'");
                values[key.Name] = LegacyValue(key.Name, p.Value) ?? key.TryRead(p.Value)
                    ?? throw new JsonException($"{key.Name} = {p.Value.GetRawText()} is not allowed: must be {key.Allowed}");
            }
            // Files written before the MNIST split existed ran the only split there was then: per run.
            if (values.TryGetValue("data", out var data) && (string)data == "mnist" && !values.ContainsKey("mnistSplit"))
                values["mnistSplit"] = "per-run";
            return new RunSettings(values);
        }

        /// <summary>Values of earlier versions under their current names: "standardize" fitted on the run's images, now "standardize-run".</summary>
        private static object? LegacyValue(string name, JsonElement value)
            => name == "normalization" && value.ValueKind == JsonValueKind.String && value.GetString() == "standardize" ? "standardize-run" : null;

        public override void Write(Utf8JsonWriter writer, RunSettings value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            foreach (var (k, v) in value._values)
            {
                writer.WritePropertyName(k);
                SettingKeys.Find(k)!.Write(writer, v);
            }
            writer.WriteEndObject();
        }
    }
}
