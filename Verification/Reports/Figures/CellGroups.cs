using Verify.Simulation.Settings;
using System.Globalization;
using Verify.Verification.Analysis;

namespace Verify.Verification.Reports.Figures;

/// <summary>
/// How figures pick their cells. A figure varies one or two of (M, d, α) and holds everything else
/// fixed, so cells are first split into families (same settings apart from those); a figure draws
/// the largest family and its caption says so when there are others.
/// </summary>
internal static class CellGroups
{
    private static readonly Setting[] GaussianAxes = [Keys.D, Keys.Mu, Keys.Alpha, Keys.Seed];
    private static readonly Setting[] MnistAxes = [Keys.Resolution, Keys.D, Keys.Alpha, Keys.AlphaOverMu, Keys.Seed];

    public static bool IsMnist(CellSummary c) => c.Parameters.Data == DataKind.Mnist;

    /// <summary>
    /// Gaussian-mixture cells with Gaussian noise and random flips: the model the figures' EXACT and HEURISTIC curves are
    /// derived for (cells with other noise laws or label rules are in the tables, not in these figures).
    /// </summary>
    public static bool IsGaussian(CellSummary c)
        => !IsMnist(c) && c.Theory.Gaussian && c.Parameters.GaussianRandomFlips && double.IsFinite(c.Parameters.D) && double.IsFinite(c.Parameters.Mu) && c.Parameters.Mu > 0;

    /// <summary>The settings a figure holds fixed, as one string.</summary>
    public static string FamilyKey(CellSummary c, IEnumerable<Setting> varied)
    {
        var skip = varied.Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
        return string.Join(";", c.Settings.Texts.Where(kv => !skip.Contains(kv.Key)).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value));
    }

    /// <summary>The largest family of Gaussian cells (ties: the first in key order), and how many families there are.</summary>
    public static (IReadOnlyList<CellSummary> Cells, int Families) MainGaussianFamily(IEnumerable<CellSummary> cells)
        => MainFamily(cells.Where(IsGaussian), GaussianAxes);

    /// <summary>
    /// The MNIST family (same settings but resolution and α) with the most values of α shared by two or more
    /// resolutions (ties: the largest, then the first in key order), and how many families there are.
    /// </summary>
    public static (IReadOnlyList<CellSummary> Cells, int Families) MnistFamilyAcrossD(IEnumerable<CellSummary> cells)
    {
        var groups = cells.Where(c => IsMnist(c) && double.IsFinite(MnistD(c))).GroupBy(c => FamilyKey(c, MnistAxes))
            .OrderByDescending(g => SharedAlphas(g)).ThenByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        return groups.Count == 0 ? ([], 0) : (groups[0].ToList(), groups.Count);
    }

    private static int SharedAlphas(IEnumerable<CellSummary> family)
        => family.GroupBy(MnistBudget).Count(g => g.Select(MnistD).Distinct().Count() >= 2);

    /// <summary>
    /// What an MNIST cell holds its attack budget at across resolutions: α/M̂ where the cell gives α as a fraction
    /// of M̂ (alphaOverMu; each run's α is then that fraction of its own M̂), else α in input units (rounded, <see cref="Key"/>).
    /// </summary>
    public static (double Value, bool OverMuHat) MnistBudget(CellSummary c)
        => c.Settings.GetOrNull(Keys.AlphaOverMu) is { } fraction ? (fraction, true) : (Key(c.Parameters.Alpha), false);

    /// <summary>
    /// Per MNIST normalization (unit-norm first), the largest family of its cells with β varying too, and how
    /// many families that normalization has: what the per-normalization figures draw.
    /// </summary>
    public static IReadOnlyList<(string Normalization, IReadOnlyList<CellSummary> Cells, int Families)> MnistByNormalization(IEnumerable<CellSummary> cells)
        => cells.Where(c => IsMnist(c) && double.IsFinite(MnistD(c)))
            .GroupBy(c => c.Settings.Text(Keys.Normalization))
            .OrderBy(g => g.Key == Keys.Normalization.Format(MnistNormalization.UnitNorm) ? 0 : 1).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var (family, families) = MainFamily(g, [.. MnistAxes, Keys.Beta]);
                return (g.Key, family, families);
            })
            .ToList();

    private static (IReadOnlyList<CellSummary>, int) MainFamily(IEnumerable<CellSummary> cells, Setting[] varied)
    {
        var groups = cells.GroupBy(c => FamilyKey(c, varied)).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        return groups.Count == 0 ? ([], 0) : (groups[0].ToList(), groups.Count);
    }

    /// <summary>A value rounded to 6 significant digits, so that α/M = 0.5 computed as α/M matches 0.5.</summary>
    public static double Key(double v) => double.IsFinite(v) && v != 0
        ? double.Parse(v.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
        : v;

    /// <summary>d of an MNIST cell: the parameter, else the resolution squared.</summary>
    public static double MnistD(CellSummary c)
    {
        if (double.IsFinite(c.Parameters.D) && c.Parameters.D > 0) return c.Parameters.D;
        return c.Settings.Has(Keys.Resolution) && c.Settings.Get(Keys.Resolution) is var k ? (double)k * k : double.NaN;
    }

    /// <summary>At most <paramref name="max"/> items, spread evenly over the sorted list (always the first and the last).</summary>
    public static IReadOnlyList<T> Spread<T>(IReadOnlyList<T> sorted, int max)
    {
        if (sorted.Count <= max) return sorted;
        var idx = Enumerable.Range(0, max).Select(i => (int)Math.Round(i * (sorted.Count - 1) / (double)(max - 1))).Distinct();
        return idx.Select(i => sorted[i]).ToList();
    }

    /// <summary>The settings that take more than one value across these cells (the seed excluded).</summary>
    public static IReadOnlyList<Setting> VaryingKeys(IReadOnlyList<CellSummary> cells)
    {
        var keys = cells.SelectMany(c => c.Settings.Given).Distinct().Where(k => k != Keys.Seed);
        return keys.Where(k => cells.Select(c => c.Settings.TextOf(k) ?? "").Distinct(StringComparer.Ordinal).Count() > 1)
            .OrderBy(Order).ThenBy(k => k.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The paper's symbol for a setting (M for mu, α for alpha, …). A stored cell keeps α/M only for real data (a
    /// Gaussian cell's is resolved to α), where M is the measured M̂.</summary>
    public static string Symbol(Setting key) => key == Keys.AlphaOverMu ? "α/M̂" : key.Symbol;

    /// <summary>Table columns in the paper's order: data, n, d, M, α, β, m, then the rest by name.</summary>
    private static readonly Setting[] Leading = [Keys.Data, Keys.N, Keys.D, Keys.Resolution, Keys.Mu, Keys.Alpha, Keys.Beta, Keys.Width];

    private static int Order(Setting key) => key == Keys.AlphaOverMu ? Order(Keys.Alpha) : Array.IndexOf(Leading, key) is var i and >= 0 ? i : Leading.Length;

    /// <summary>"M = 5, d = 1000, α = 2.5": a cell named by the settings that vary.</summary>
    public static string Describe(CellSummary c, IReadOnlyList<Setting> varying)
    {
        var parts = varying.Where(c.Settings.Has).Select(k => $"{Symbol(k)} = {c.Settings.TextOf(k)}").ToList();
        return parts.Count == 0 ? c.Key : string.Join(", ", parts);
    }
}
