using System.Security.Cryptography;
using System.Text;

namespace Verify.Verification.Settings;

/// <summary>A run's id: 16 hex digits of SHA-256 over its cell key and seed. It names the run's result file, so equal settings share one file.</summary>
internal static class RunId
{
    public static string Of(string cellKey, ulong seed)
        => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{cellKey};seed={seed}")))[..16].ToLowerInvariant();

    /// <summary>The id these settings have (their cell key and seed).</summary>
    public static string Of(RunSettings settings) => Of(settings.CellKey, settings.Seed);

    /// <summary>Whether <paramref name="id"/> has the form of a run id (16 lowercase hex digits): the only file names a store writes.</summary>
    public static bool IsValid(string? id) => id is { Length: 16 } && id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
