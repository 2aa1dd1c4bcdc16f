using System.Text.Json;
using System.Text.Json.Serialization;
using Verify.Simulation.Attack;
using Verify.Simulation.Data;
using Verify.Simulation.Data.Mnist;
using Verify.Simulation.Embedding;
using Verify.Simulation.Model;
using Verify.Simulation.Runs;
using Verify.Simulation.Settings;
using Verify.Verification.Downloads;

namespace Verify.Verification.Settings;

/// <summary>
/// The settings of one run (or cell), typed: each value was parsed once, by its <see cref="Setting"/>, from an
/// option, a config file or a result file, and is read back through the same declaration
/// (<c>settings.Get(Keys.Alpha)</c>). Immutable; equal when every value is equal. α and α/M are never both set
/// (<see cref="Setting.Excludes"/>): every way of building settings keeps that. In JSON an object of typed values
/// (numbers as numbers).
/// </summary>
[JsonConverter(typeof(RunSettingsJsonConverter))]
internal sealed class RunSettings : IEquatable<RunSettings>
{
    private readonly SortedDictionary<string, object> _values;

    private RunSettings(SortedDictionary<string, object> values) => _values = values;

    public static RunSettings Empty { get; } = new(new SortedDictionary<string, object>(StringComparer.Ordinal));

    /// <summary>
    /// Parses named texts (later ones override earlier ones). An unknown name, a value out of range or two settings
    /// that exclude each other are an input error naming them and <paramref name="where"/> the values came from.
    /// </summary>
    public static RunSettings Parse(IEnumerable<KeyValuePair<string, string>> texts, string where)
    {
        var values = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, text) in texts)
        {
            var key = Keys.Get(name, where);
            values[key.Name] = key.Parse(text, where);
        }
        return Checked(values, where);
    }

    /// <summary>This with <paramref name="key"/> set to <paramref name="value"/>.</summary>
    public RunSettings With<T>(Setting<T> key, T value) where T : notnull => With((Setting)key, value);

    /// <summary>This with <paramref name="key"/> set to an already typed <paramref name="value"/> (a grid axis's; checked against the key).</summary>
    public RunSettings With(Setting key, object value, string where = "these settings")
    {
        if (!key.Accepts(value)) throw new ArgumentException($"{key.Name} = {value} ({value.GetType().Name}) is not a value of this setting", nameof(value));
        return Checked(new SortedDictionary<string, object>(_values, StringComparer.Ordinal) { [key.Name] = value }, where);
    }

    /// <summary>This with <paramref name="key"/> set and the setting it excludes removed: α/M replaces α and α replaces α/M.</summary>
    public RunSettings Replacing(Setting key, object value) => (key.Excludes is { } other ? Without(other) : this).With(key, value);

    public RunSettings Without(params Setting[] keys)
    {
        var values = new SortedDictionary<string, object>(_values, StringComparer.Ordinal);
        foreach (var k in keys) values.Remove(k.Name);
        return new RunSettings(values);
    }

    public bool Has(Setting key) => _values.ContainsKey(key.Name);

    /// <summary>The settings given, in ordinal order of their names.</summary>
    public IEnumerable<Setting> Given => _values.Keys.Select(k => Keys.Find(k)!);
    public int Count => _values.Count;

    /// <summary>The value, or the setting's default when absent.</summary>
    public T Get<T>(Setting<T> key) where T : notnull
        => _values.TryGetValue(key.Name, out var v) ? (T)v : key.HasDefault ? key.Default : throw new InvalidOperationException($"{key.Name} has no value and no default");

    /// <summary>The value given, or null when absent (a default does not count): for optional settings, and to ask what was set.</summary>
    public double? GetOrNull(Setting<double> key) => _values.TryGetValue(key.Name, out var v) ? (double)v : null;
    public string? GetOrNull(Setting<string> key) => _values.TryGetValue(key.Name, out var v) ? (string)v : null;

    public ulong Seed => Get(Keys.Seed);

    /// <summary>The canonical text of the value (or default): "unit-norm", "0.5".</summary>
    public string Text<T>(Setting<T> key) where T : notnull => key.Format(Get(key));

    /// <summary>The canonical text of a value that is set, or null.</summary>
    public string? TextOf(Setting key) => _values.TryGetValue(key.Name, out var v) ? key.Format(v) : null;

    /// <summary>Every value set, as canonical text by name (for tables and CSV).</summary>
    public IReadOnlyDictionary<string, string> Texts => _values.ToDictionary(kv => kv.Key, kv => Keys.Find(kv.Key)!.Format(kv.Value), StringComparer.Ordinal);

    /// <summary>
    /// "k=v;k=v" over every value but the seed, in ordinal order: the identity of a cell (and, with the seed, of a
    /// result file). Settings added after results were stored are left out at their default (<see cref="Setting.AddedLater"/>).
    /// </summary>
    public string CellKey => string.Join(";", Identity.Where(kv => kv.Key != Keys.Seed.Name).Select(kv => $"{kv.Key}={Keys.Find(kv.Key)!.Format(kv.Value)}"));

    private IEnumerable<KeyValuePair<string, object>> Identity => _values.Where(kv => Keys.Find(kv.Key)!.InIdentity(kv.Value));

    private static RunSettings Checked(SortedDictionary<string, object> values, string where)
    {
        CheckExclusive(values.Keys.Select(k => Keys.Find(k)!), where);
        return new RunSettings(values);
    }

    /// <summary>The rule that two settings of one quantity (<see cref="Setting.Excludes"/>) are never both given, for settings or a grid's axes.</summary>
    public static void CheckExclusive(IEnumerable<Setting> given, string where)
    {
        var set = given.ToHashSet();
        foreach (var key in set.OrderBy(k => k.Name, StringComparer.Ordinal))
            if (key.Excludes is { } other && string.CompareOrdinal(key.Name, other.Name) < 0 && set.Contains(other))
                throw new InvalidInputException($"{key.Name} and {other.Name} are both set in {where}: give one of them");
    }

    /// <summary>
    /// The run these settings describe. Nothing is parsed here and nothing is read from disk: an MNIST
    /// run names its folder (the cache when none is given); that the files are there is checked before
    /// work starts (<see cref="MnistLocator.Check"/>).
    /// </summary>
    public RunSpec ToSpec()
    {
        // A setting of the other data source would be silently ignored: say so instead.
        var data = Get(Keys.Data);
        bool mnist = data == DataKind.Mnist;
        foreach (var k in mnist ? Keys.GaussianOnly : Keys.MnistOnly)
            if (Has(k))
                throw new InvalidInputException($"{k.Name} = {TextOf(k)} does not apply to data = {Keys.Data.Format(data)} "
                    + (mnist ? "(MNIST's dimension is resolution², its test set the remaining digits)" : "(it is an MNIST setting)") + ": remove it or change data");
        double mu = Get(Keys.Mu);
        double? alphaOverMu = GetOrNull(Keys.AlphaOverMu);
        IDataSource source = mnist
            ? new MnistDataSource(GetOrNull(Keys.MnistDir) is { } dir ? Path.GetFullPath(dir) : CacheLocation.Mnist(), Get(Keys.Resolution),
                Get(Keys.Normalization), Get(Keys.N), Get(Keys.Beta), Get(Keys.MnistSplit))
            : new GaussianMixture(Get(Keys.N), Get(Keys.NTest), Get(Keys.D), mu, Get(Keys.Beta), Get(Keys.Sigma),
                Get(Keys.LabelNoise), Get(Keys.Noise), Get(Keys.NoiseCondition));
        return new RunSpec
        {
            Data = source,
            // Gaussian: M is a setting, so α = (α/M)·M now. MNIST: M̂ is measured on the run's training set, so the run
            // resolves α = (α/M̂)·M̂ itself once its data are realized (RunSpec.ResolveAlpha).
            Alpha = alphaOverMu is { } ratio ? (mnist ? 0 : ratio * mu) : Get(Keys.Alpha),
            AlphaOverSignalNorm = mnist ? alphaOverMu : null,
            Width = Get(Keys.Width),
            Activation = Get(Keys.Activation) == ActivationKind.SmoothedLeakyRelu ? Activation.Smoothed(Get(Keys.Gamma), Get(Keys.Smoothness)) : Activation.LeakyRelu(Get(Keys.Gamma)),
            InitScale = GetOrNull(Keys.InitScale),
            LearningRate = GetOrNull(Keys.LearningRate),
            LearningRateFactor = Get(Keys.LearningRateFactor),
            Iterations = Get(Keys.Iterations),
            RecordEvery = Get(Keys.RecordEvery),
            TrainAttack = Attack(Keys.TrainingAttack),
            EvalAttack = Attack(Keys.EvaluationAttack),
            CertifySteps = Get(Keys.CertifySteps),
            Mode = Get(Keys.Mode),
            Precision = Get(Keys.Precision),
            Seed = Seed,
        };
    }

    private PgdSettings Attack(AttackKeys k) => new(Get(k.Steps), GetOrNull(k.StepSize), Get(k.Start), Get(k.Restarts),
        k.StopTolerance is { } t ? GetOrNull(t) : null, k.WarmStart is { } w && Get(w));

    /// <summary>
    /// What results record and hash: every default filled in, α resolved where it is known before the run (α/M
    /// given for Gaussian data becomes α, so equivalent runs share one identity), and the settings of the other
    /// data source dropped (they cannot split identical runs). An MNIST run given α/M̂ keeps alphaOverMu and has
    /// no alpha: its α is fraction · M̂ of its own training set, known once the data are realized, and recorded in
    /// its result (provenance alpha and signalNorm). noiseCondition is kept only with noise = anisotropic, the one law it describes.
    /// </summary>
    public RunSettings Resolved(RunSpec spec)
    {
        var values = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var k in Keys.All)
            if (_values.TryGetValue(k.Name, out var v) || (v = k.DefaultValue) is not null) values[k.Name] = v;
        if (spec.AlphaOverSignalNorm is { } fraction)
        {
            values[Keys.AlphaOverMu.Name] = fraction;
            values.Remove(Keys.Alpha.Name);
        }
        else
        {
            values[Keys.Alpha.Name] = spec.Alpha;
            values.Remove(Keys.AlphaOverMu.Name);
        }
        foreach (var k in Get(Keys.Data) == DataKind.Mnist ? Keys.GaussianOnly : Keys.MnistOnly) values.Remove(k.Name);
        // The condition number describes only the anisotropic law (it is refused with any other).
        if (!(values.TryGetValue(Keys.Noise.Name, out var noise) && noise is NoiseFamily.Anisotropic)) values.Remove(Keys.NoiseCondition.Name);
        return new RunSettings(values);
    }

    /// <summary>Equal identities: the same values, a setting added later being equal at its default whether it is written or not.</summary>
    public bool Equals(RunSettings? other)
    {
        if (other is null) return false;
        var mine = Identity.ToList();
        return mine.Count == other.Identity.Count() && mine.All(kv => other._values.TryGetValue(kv.Key, out var v) && v.Equals(kv.Value));
    }

    public override bool Equals(object? obj) => Equals(obj as RunSettings);

    public override int GetHashCode() => CellKey.GetHashCode(StringComparison.Ordinal) ^ Seed.GetHashCode();

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
                var key = Keys.Find(p.Name) ?? throw new JsonException($"unknown setting '{p.Name}'");
                values[key.Name] = key.TryRead(p.Value)
                    ?? throw new JsonException($"{key.Name} = {p.Value.GetRawText()} is not allowed: must be {key.Allowed}");
            }
            try { return Checked(values, "the settings"); }
            catch (InvalidInputException ex) { throw new JsonException(ex.Message); }
        }

        public override void Write(Utf8JsonWriter writer, RunSettings value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            foreach (var (k, v) in value._values)
            {
                writer.WritePropertyName(k);
                Keys.Find(k)!.Write(writer, v);
            }
            writer.WriteEndObject();
        }
    }
}
