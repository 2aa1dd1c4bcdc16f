using System.Globalization;
using Verify.Simulation.Data;
using Verify.Simulation.Data.Mnist;
using Verify.Verification.Downloads;

namespace Verify.Verification.Settings;

/// <summary>Builds the MNIST 0/1 data source from run settings; the folder defaults to the cache that `verify data mnist` fills.</summary>
public static class MnistSettings
{
    public static IDataSource Source(IReadOnlyDictionary<string, string> s)
    {
        string Get(string k) => s.TryGetValue(k, out var v) ? v : RunSettings.Find(k)!.Default!;
        string dir = MnistLocator.Resolve(s.GetValueOrDefault("mnistDir"));
        SettingKey.TryInt(Get("resolution"), out int resolution);
        SettingKey.TryInt(Get("n"), out int n);
        var normalization = Get("normalization").ToLowerInvariant() == "standardize" ? MnistNormalization.Standardize : MnistNormalization.UnitNorm;
        return new MnistDataSource(dir, resolution, normalization, n, double.Parse(Get("beta"), CultureInfo.InvariantCulture)).Validate();
    }
}
