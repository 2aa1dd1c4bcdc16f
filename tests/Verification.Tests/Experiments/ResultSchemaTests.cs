using Verify.Simulation.Settings;
using System.Text.Json;
using Verify.Verification.Experiments;
using Verify.Verification.Results;
using Verify.Verification.Settings;
using Verify.Verification.Sweeps;

namespace Verify.Verification.Tests.Experiments;

/// <summary>
/// Results of schema "verify.run/1" (every setting a string) keep working: the committed fixture is a run
/// of experiments/smoke.json written by the version before typed settings.
/// </summary>
public class ResultSchemaTests
{
    private const string FixtureId = "01716c78b8cb3e95";


    private static string Fixture => Path.Combine(Repository.Root, "tests", "Verification.Tests", "Fixtures", "run-v1.json");

    [Test]
    public void A_schema_1_file_reads_into_typed_settings()
    {
        var rec = ResultStore.TryRead(Fixture)!;
        Assert.That(rec, Is.Not.Null);
        Assert.That(File.ReadAllText(Fixture), Does.Contain("\"verify.run/1\""));
        Assert.That(rec.Schema, Is.EqualTo(RunRecord.CurrentSchema), "upgraded as it is read: nothing after the reader sees schema 1");
        Assert.That(rec.Settings.Get(Keys.D), Is.EqualTo(100000));
        Assert.That(rec.Settings.Get(Keys.Mu), Is.EqualTo(8.0));
        Assert.That(rec.Settings.Get(Keys.PgdWarmStart), Is.EqualTo(false));
        Assert.That(rec.Settings.Seed, Is.EqualTo(rec.Seed));
    }

    [Test]
    public void A_results_folder_of_schema_1_is_reused_by_the_current_plan()
    {
        var plan = ExperimentPlan.Expand(ExperimentLoader.Load(Path.Combine(Repository.Root, "experiments", "smoke.json")));
        var planned = plan.Single(r => r.Id == FixtureId);
        using var dir = new TempDir();
        var store = new ResultStore(dir.Sub("results"));
        Directory.CreateDirectory(store.RunsDirectory);
        File.Copy(Fixture, store.PathOf(FixtureId));
        var (reused, unreadable, outdated) = store.Find(planned);
        Assert.That(reused, Is.Not.Null, "same typed settings, same id (certifySteps, added later, is left out at its default): the stored run is found");
        Assert.That(reused!.Metrics, Is.Not.Null);
        Assert.That((unreadable, outdated), Is.EqualTo((false, true)), "it predates certification, so a sweep recomputes it; reports read it as it is");
        // A neighbouring planned run has other settings and no file: it is still to do.
        Assert.That(store.TryLoad(plan.First(r => r.Id != FixtureId)), Is.Null);
    }

    [Test]
    public void Writing_gives_schema_2_with_json_numbers_and_reads_back_equal()
    {
        var v1 = ResultStore.TryRead(Fixture)!;
        string json = Json.Write(v1 with { Schema = RunRecord.CurrentSchema });
        using var doc = JsonDocument.Parse(json);
        var settings = doc.RootElement.GetProperty("settings");
        Assert.That(doc.RootElement.GetProperty("schema").GetString(), Is.EqualTo("verify.run/2"));
        Assert.That(settings.GetProperty("d").ValueKind, Is.EqualTo(JsonValueKind.Number));
        Assert.That(settings.GetProperty("seed").GetUInt64(), Is.EqualTo(v1.Seed));
        Assert.That(settings.GetProperty("pgdWarmStart").ValueKind, Is.EqualTo(JsonValueKind.False));
        var v2 = Json.Read<RunRecord>(json);
        Assert.That(v2.Settings, Is.EqualTo(v1.Settings));
        Assert.That(v2.Settings.CellKey, Is.EqualTo(v1.Settings.CellKey));
    }

    [Test]
    public void A_file_from_before_certification_reads_with_the_certified_fields_null()
    {
        var rec = ResultStore.TryRead(Fixture)!;
        Assert.That(rec.Metrics, Is.Not.Null);
        Assert.That(rec.Metrics!.RobustTestCertified, Is.Null);
        Assert.That(rec.Metrics.Certification, Is.Null);
        Assert.That(rec.Metrics.RobustTrainCertified, Is.Null);
        Assert.That(rec.Metrics.TrainCertification, Is.Null);
        Assert.That(rec.Metrics.CertifiedInterpolates, Is.Null, "unknown, not false");
        Assert.That(rec.PredatesCertification, Is.True);
    }

    [Test]
    public void The_training_certificate_round_trips_through_json()
    {
        var v1 = ResultStore.TryRead(Fixture)!;
        var withCertificates = v1 with
        {
            Schema = RunRecord.CurrentSchema,
            Metrics = v1.Metrics! with
            {
                RobustTestCertified = new Estimate(412, 2000, 0.206, 0.1887, 0.2244),
                Certification = new CertificationRecord(1500, 1588, 3, 0, 20),
                RobustTrainCertified = new Estimate(3, 100, 0.03, 0.0103, 0.0845),
                TrainCertification = new CertificationRecord(95, 97, 3, 0, 20),
            },
        };
        string json = Json.Write(withCertificates);
        using (var doc = JsonDocument.Parse(json))
        {
            var m = doc.RootElement.GetProperty("metrics");
            Assert.That(m.GetProperty("robustTrainCertified").GetProperty("errors").GetInt32(), Is.EqualTo(3));
            Assert.That(m.GetProperty("trainCertification").GetProperty("certifiedPlain").GetInt32(), Is.EqualTo(95));
            Assert.That(m.TryGetProperty("certifiedInterpolates", out _), Is.False, "derived, not stored");
        }
        var back = Json.Read<RunRecord>(json);
        Assert.That(back.Metrics!.RobustTrainCertified, Is.EqualTo(withCertificates.Metrics.RobustTrainCertified));
        Assert.That(back.Metrics.TrainCertification, Is.EqualTo(withCertificates.Metrics.TrainCertification));
        Assert.That(back.Metrics.Certification, Is.EqualTo(withCertificates.Metrics.Certification));
        Assert.That(back.Metrics.CertifiedInterpolates, Is.False);
        Assert.That(back.PredatesCertification, Is.False);
        Assert.That(Json.Write(back), Is.EqualTo(json), "written again, the same text");
    }

    [Test]
    public void A_key_added_later_is_out_of_a_runs_identity_at_its_default_only()
    {
        var old = ResultStore.TryRead(Fixture)!.Settings;
        Assert.That(old.Has(Keys.CertifySteps), Is.False);
        var explicitDefault = old.With(Keys.CertifySteps, 20);
        Assert.That(explicitDefault, Is.EqualTo(old));
        Assert.That(explicitDefault.CellKey, Is.EqualTo(old.CellKey));
        Assert.That(RunId.Of(explicitDefault), Is.EqualTo(FixtureId));
        var other = old.With(Keys.CertifySteps, 0);
        Assert.That(other, Is.Not.EqualTo(old));
        Assert.That(RunId.Of(other), Is.Not.EqualTo(FixtureId));
    }

    [Test]
    public void The_upgrade_brings_a_schema_1_file_to_the_current_one_and_leaves_a_current_file_as_it_is()
    {
        string v1 = File.ReadAllText(Fixture);
        string upgraded = Upgrade.Run(v1);
        Assert.That(upgraded, Does.Contain($"\"{RunRecord.CurrentSchema}\"").And.Not.Contain("\"verify.run/1\""));
        Assert.That(upgraded, Does.Contain("\"d\":100000").And.Contain("\"pgdWarmStart\":false"), "typed values");
        Assert.That(Upgrade.Run(upgraded), Is.EqualTo(upgraded), "idempotent");
        string current = Json.Write(Json.Read<RunRecord>(upgraded));
        Assert.That(ReferenceEquals(Upgrade.Run(current), current), "a current file is not parsed twice");
    }

    [Test]
    public void A_Gaussian_run_from_before_input_units_gets_its_M_and_sigma_from_its_settings()
    {
        // Then: signalNorm = M/σ and no σ. Here σ = 2 and M = 8, so the file said 4.
        string then = File.ReadAllText(Fixture).Replace("\"sigma\": \"1\"", "\"sigma\": \"2\"").Replace("\"signalNorm\": 8", "\"signalNorm\": 4");
        var rec = Json.Read<RunRecord>(Upgrade.Run(then));
        Assert.That((rec.Provenance.SignalNorm, rec.Provenance.NoiseScale), Is.EqualTo(((double?)8.0, (double?)2.0)));
        Assert.That(RunRecordValidation.Problems(rec, null).Select(p => p.Message), Has.None.Contain("signalNorm").And.None.Contain("noiseScale"));
        var edited = rec with { Provenance = rec.Provenance with { SignalNorm = 4 } };
        Assert.That(RunRecordValidation.Problems(edited, null).Select(p => p.Message), Has.Some.Contain("provenance.signalNorm = 4"), "a current file must hold M itself");
    }

    [Test]
    public void MNIST_settings_written_before_the_split_existed_read_as_what_ran_then()
    {
        // Before: every 0/1 digit could be a run's training or test digit, and "standardize" fitted the run's n images.
        static RunSettings Read(string settings) => Json.Read<RunSettings>(
            System.Text.Json.Nodes.JsonNode.Parse(Upgrade.Run($$"""{ "schema": "verify.run/2", "settings": {{settings}} }"""))!["settings"]!.ToJsonString());
        var old = Read("""{ "data": "mnist", "normalization": "standardize", "resolution": 14, "seed": 3 }""");
        Assert.That(old.Text(Keys.MnistSplit), Is.EqualTo("per-run"));
        Assert.That(old.Text(Keys.Normalization), Is.EqualTo("standardize-run"));
        var current = Read("""{ "data": "mnist", "normalization": "standardize-pool", "mnistSplit": "fixed", "seed": 3 }""");
        Assert.That(current.Text(Keys.MnistSplit), Is.EqualTo("fixed"));
        var gaussian = Read("""{ "data": "gaussian", "seed": 3 }""");
        Assert.That(gaussian.Has(Keys.MnistSplit), Is.False, "the upgrade touches MNIST settings only");
        // Past the upgrade, the settings reader knows only the current form.
        Assert.Throws<System.Text.Json.JsonException>(() => Json.Read<RunSettings>("""{ "data": "mnist", "normalization": "standardize" }"""));
        Assert.Throws<System.Text.Json.JsonException>(() => Json.Read<RunSettings>("""{ "d": "1000" }"""), "a number as a string is schema 1's");
        Assert.That(Json.Read<RunSettings>("""{ "d": 1000 }""").Get(Keys.D), Is.EqualTo(1000L));
    }

    [Test]
    public void A_setting_that_is_not_in_the_table_makes_the_file_unreadable()
    {
        using var dir = new TempDir();
        string bad = dir.File("bad.json", File.ReadAllText(Fixture).Replace("\"smoothness\"", "\"smoothnes\""));
        Assert.That(ResultStore.TryRead(bad), Is.Null, "an unknown key is not silently dropped");
        string outOfRange = dir.File("range.json", File.ReadAllText(Fixture).Replace("\"beta\": \"0.1\"", "\"beta\": \"0.7\""));
        Assert.That(ResultStore.TryRead(outOfRange), Is.Null);
    }

    [Test]
    public void Parsing_happens_once_and_canonical_text_names_a_cell()
    {
        var a = RunSettings.Parse([new("d", "1e3"), new("mu", "5.0"), new("mode", "Naive")], "a test");
        Assert.That(a.Get(Keys.D), Is.EqualTo(1000));
        Assert.That(a.TextOf(Keys.Mu), Is.EqualTo("5"));
        Assert.That(a.Text(Keys.Mode), Is.EqualTo("naive"), "choices are canonical");
        Assert.That(a.CellKey, Is.EqualTo("d=1000;mode=naive;mu=5"));
        var spec = a.ToSpec();
        Assert.That(spec.Data.Dimension, Is.EqualTo(1000));
        Assert.That(spec.Mode, Is.EqualTo(EmbeddingMode.Naive));
    }
}
