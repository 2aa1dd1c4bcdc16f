using System.Runtime.InteropServices;

namespace Verify.Verification.Results;

/// <summary>The machine a result came from (BenchmarkDotNet's habit: every number carries its environment).</summary>
internal sealed record EnvironmentInfo(string Cpu, int Cores, string Runtime, string Os, string Blas)
{
    public static EnvironmentInfo Current(string blas) => new(CpuModel(), Environment.ProcessorCount,
        RuntimeInformation.FrameworkDescription, RuntimeInformation.OSDescription, blas);

    private static string CpuModel()
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
