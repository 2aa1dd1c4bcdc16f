using System.Text.Json;
using Verify.Simulation.Data;
using Verify.Simulation.Settings;
using Verify.Verification.Settings;

namespace Verify.Verification.Tests.Settings;

/// <summary>
/// The label-noise and noise-family settings (issue 24) flow from options and experiment keys to the run and its file,
/// stay out of run ids at their defaults (so stored runs keep theirs), and are Gaussian-only.
/// </summary>
public class NoiseSettingsTests
{
    [Test]
    public void Settings_reach_the_mixture()
    {
        var spec = RunSettings.Empty.With(Keys.LabelNoise, LabelNoise.Spurious).With(Keys.Noise, NoiseFamily.Anisotropic).With(Keys.NoiseCondition, 20.0).ToSpec();
        var g = (GaussianMixture)spec.Data;
        Assert.That((g.LabelNoise, g.Noise, g.NoiseCondition), Is.EqualTo((LabelNoise.Spurious, NoiseFamily.Anisotropic, 20.0)));
        var d = (GaussianMixture)RunSettings.Empty.ToSpec().Data;
        Assert.That((d.LabelNoise, d.Noise, d.NoiseCondition), Is.EqualTo((LabelNoise.Random, NoiseFamily.Gaussian, 4.0)));
    }

    [Test]
    public void At_their_defaults_they_stay_out_of_run_ids()
    {
        var plain = RunSettings.Empty.With(Keys.N, 50);
        var explicitDefaults = plain.With(Keys.LabelNoise, LabelNoise.Random).With(Keys.Noise, NoiseFamily.Gaussian).With(Keys.NoiseCondition, 4.0);
        Assert.That(explicitDefaults.CellKey, Is.EqualTo(plain.CellKey));
        Assert.That(RunId.Of(explicitDefaults), Is.EqualTo(RunId.Of(plain)));
        Assert.That(plain.With(Keys.LabelNoise, LabelNoise.Margin).CellKey, Does.Contain("labelNoise=margin"));
        Assert.That(plain.With(Keys.Noise, NoiseFamily.GaussLaplace).CellKey, Does.Contain("noise=gauss-laplace"));
    }

    [Test]
    public void Mnist_refuses_them()
    {
        foreach (var s in new[]
                 {
                     RunSettings.Empty.With(Keys.Data, DataKind.Mnist).With(Keys.LabelNoise, LabelNoise.Confident),
                     RunSettings.Empty.With(Keys.Data, DataKind.Mnist).With(Keys.Noise, NoiseFamily.GaussLaplace),
                     RunSettings.Empty.With(Keys.Data, DataKind.Mnist).With(Keys.NoiseCondition, 9.0),
                 })
            Assert.That(() => s.ToSpec(), Throws.TypeOf<InvalidInputException>().With.Message.Contains("does not apply to data = mnist"));
    }

    [Test]
    public void Train_records_them_and_auto_picks_an_exact_mode()
    {
        var r = CliRunner.Run(["train", "--n", "10", "--n-test", "40", "--d", "60", "--m", "20", "--iterations", "5", "--pgd-steps", "2",
            "--eval-pgd-steps", "3", "--label-noise", "spurious", "--noise", "anisotropic", "--noise-condition", "10", "--beta", "0.2", "--json"]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        var root = JsonDocument.Parse(r.Out).RootElement;
        var s = root.GetProperty("settings");
        Assert.That(s.GetProperty("labelNoise").GetString(), Is.EqualTo("spurious"));
        Assert.That(s.GetProperty("noise").GetString(), Is.EqualTo("anisotropic"));
        Assert.That(s.GetProperty("noiseCondition").GetDouble(), Is.EqualTo(10));
        Assert.That(root.GetProperty("provenance").GetProperty("mode").GetString(), Is.EqualTo("subspace"), "d = 60 > n + m/2 = 20, not rotation-invariant");
    }
}
