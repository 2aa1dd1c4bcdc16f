using System.Runtime.InteropServices;

namespace Verify.Simulation.Kernels;

/// <summary>
/// The instructions each of OpenBLAS's x86-64 CPU kernels executes, so that a kernel this CPU cannot run is
/// refused before its first product: OpenBLAS takes OPENBLAS_CORETYPE at its word, and SkylakeX on an
/// AVX2-only CPU dies of SIGILL, with no message, inside the first GEMM. Only what the kernels' GEMMs
/// certainly need is listed (flags named as in /proc/cpuinfo); whatever is missing here the trial in a
/// child process still catches (<see cref="IOpenBlasProbe"/>).
/// </summary>
internal static class OpenBlasCores
{
    private static readonly string[] Avx512 = ["avx512f", "avx512bw", "avx512dq", "avx512vl"];

    private static readonly Dictionary<string, string[]> Needs = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SkylakeX"] = Avx512,
        ["Cooperlake"] = Avx512,
        ["SapphireRapids"] = Avx512,
        ["Haswell"] = ["avx2", "fma"],
        ["Zen"] = ["avx2", "fma"],
        ["Excavator"] = ["avx2", "fma"],
        ["Steamroller"] = ["avx", "fma"],
        ["Piledriver"] = ["avx", "fma"],
        ["Bulldozer"] = ["avx", "fma4"],
        ["Sandybridge"] = ["avx"],
    };

    /// <summary>The flags <paramref name="core"/> needs and this CPU lacks ("avx512f, avx512bw"), or null when it has them or nothing is known.</summary>
    public static string? Missing(string core, Func<string, bool> has)
    {
        if (!Needs.TryGetValue(core, out var needs)) return null;
        var missing = needs.Where(f => !has(f)).ToList();
        return missing.Count == 0 ? null : string.Join(", ", missing);
    }

    /// <summary>Why OpenBLAS's kernel cannot run on this CPU ("needs avx512f, ... which this CPU lacks (OPENBLAS_CORETYPE=SkylakeX)"), or null.</summary>
    public static string? Unsupported(string core)
    {
        if (RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.X86)) return null;
        if (Missing(core, Machine.HasInstructions) is not { } missing) return null;
        string pinned = Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") is { Length: > 0 } t ? $" (OPENBLAS_CORETYPE={t})" : "";
        return $"needs instructions this CPU lacks: {missing}{pinned}";
    }
}
