using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Verify.Simulation.Kernels;

/// <summary>What identifies the machine a number came from.</summary>
public static class Machine
{
    public static string CpuModel { get; } = ReadCpuModel();

    /// <summary>
    /// The CPU's instruction-set flags as Linux names them in /proc/cpuinfo ("avx2", "avx512f", ...), or null
    /// where there is no such file (then <see cref="HasInstructions"/> asks .NET about the flags it knows).
    /// </summary>
    internal static IReadOnlySet<string>? CpuFlags { get; } = ReadCpuFlags();

    /// <summary>Whether the CPU has an instruction-set flag (Linux's name); an unknown flag counts as present.</summary>
    internal static bool HasInstructions(string flag) => CpuFlags is { } flags ? flags.Contains(flag) : flag switch
    {
        "avx512f" => Avx512F.IsSupported,
        "avx512bw" => Avx512BW.IsSupported,
        "avx512dq" => Avx512DQ.IsSupported,
        "avx512vl" => Avx512F.VL.IsSupported,
        "avx2" => Avx2.IsSupported,
        "fma" => Fma.IsSupported,
        "avx" => Avx.IsSupported,
        _ => true,
    };

    private static string ReadCpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static HashSet<string>? ReadCpuFlags()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal));
            return line is null ? null : line[(line.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
