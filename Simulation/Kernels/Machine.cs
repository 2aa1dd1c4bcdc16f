using System.Runtime.InteropServices;

namespace Verify.Simulation.Kernels;

/// <summary>What identifies the machine a number came from.</summary>
public static class Machine
{
    public static string CpuModel { get; } = ReadCpuModel();

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
}
