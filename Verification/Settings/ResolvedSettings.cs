using System.Globalization;
using Verify.Simulation.Runs;

namespace Verify.Verification.Settings;

/// <summary>The full settings of a run: what was given, every default filled in, α resolved. This is what results record and hash.</summary>
public static class ResolvedSettings
{
    public static SortedDictionary<string, string> Complete(IReadOnlyDictionary<string, string> given, RunSpec spec)
    {
        var all = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var k in RunSettings.Keys)
            if (given.TryGetValue(k.Name, out var v)) all[k.Name] = v;
            else if (k.Default is not null) all[k.Name] = k.Default;
        // α is stored resolved (α/M given in a config becomes α), so equivalent runs have one key.
        all["alpha"] = spec.Alpha.ToString("R", CultureInfo.InvariantCulture);
        all.Remove("alphaOverMu");
        // Settings that do not apply to the chosen data source are dropped, so they cannot split identical runs.
        string[] irrelevant = all["data"] == "mnist" ? ["nTest", "d", "mu", "sigma"] : ["mnistDir", "resolution", "normalization"];
        foreach (var k in irrelevant) all.Remove(k);
        return all;
    }
}
