using Verify.Simulation.Settings;
using Verify.Verification.Claims;
using Verify.Verification.Cells;
using Verify.Verification.Text;

namespace Verify.Verification.Analysis;

/// <summary>
/// The theorems' claims under one noise model of the Gaussian mixture (results.json "findings.noiseModels"): which
/// labels are flipped and the law of ξ, as the settings spell them.
/// </summary>
/// <param name="LabelNoise">The label-noise rule (`labelNoise`).</param>
/// <param name="Noise">The noise family (`noise`).</param>
/// <param name="NoiseCondition">κ_Σ of the anisotropic family; null for the others.</param>
/// <param name="Claims">The model's claims along C, each tested in the report's one family of all claims.</param>
internal sealed record NoiseModelClaims(string LabelNoise, string Noise, double? NoiseCondition, GroupRange Claims)
{
    /// <summary>Random flips of Gaussian noise: the paper's own model, the one the others are read against.</summary>
    public bool IsReference => LabelNoise == Keys.LabelNoise.Format(Simulation.Settings.LabelNoise.Random) && Noise == Keys.Noise.Format(NoiseFamily.Gaussian);

    /// <summary>"margin flips", "random flips".</summary>
    public string Flips => $"{LabelNoise} flips";

    /// <summary>"gauss-laplace noise", "anisotropic noise (κ_Σ = 4)".</summary>
    public string Family => NoiseCondition is { } k ? $"{Noise} noise (κ_Σ = {Fmt.Num(k)})" : $"{Noise} noise";

    /// <summary>"C ≥ 0.388", "any C ≥ 0.001, nothing contradicted", "no C on the grid": the C the data allow under this model.</summary>
    public string Allows => Claims.CMin is not { } m ? "no C on the grid"
        : Claims.CMinAtGridStart ? $"any C ≥ {Fmt.Num(m)}, nothing contradicted"
        : $"C ≥ {Fmt.Num(m, 3)}";
}

/// <summary>
/// The claims of an experiment that varies the noise model, per model (docs/claims.md "Per noise model"). Every claim is
/// still tested in the report's one Holm family, so a model's outcome is corrected for all the models tried, and the
/// largest C_min of the models is the report's.
/// </summary>
internal static class NoiseModels
{
    private sealed record Model(LabelNoise Rule, NoiseFamily Family, double? Condition);

    /// <summary>One entry per noise model of the Gaussian cells, the reference (random flips, Gaussian noise) first; empty when the cells have one model.</summary>
    public static IReadOnlyList<NoiseModelClaims> Of(IReadOnlyList<CellSummary> cells, IReadOnlyList<Claim> claims, double c)
    {
        var model = cells.Where(x => x.Parameters.IsGaussian).ToDictionary(x => x.Key,
            x => new Model(x.Parameters.Flips, x.Parameters.Noise, x.Parameters.Noise == NoiseFamily.Anisotropic ? x.Parameters.NoiseCondition : null));
        if (model.Values.Distinct().Count() < 2) return [];
        return CRange.ForGroups(claims, cell => model.GetValueOrDefault(cell), c)
            .Where(g => g.Group is not null)
            .OrderBy(g => g.Group!.Rule == LabelNoise.Random && g.Group.Family == NoiseFamily.Gaussian ? 0 : 1)
            .ThenBy(g => g.Group!.Family).ThenBy(g => g.Group!.Condition).ThenBy(g => g.Group!.Rule)
            .Select(g => new NoiseModelClaims(Keys.LabelNoise.Format(g.Group!.Rule), Keys.Noise.Format(g.Group.Family), g.Group.Condition, g.Range))
            .ToList();
    }
}
