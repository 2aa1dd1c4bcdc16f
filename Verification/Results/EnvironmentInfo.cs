using System.Runtime.InteropServices;
using Verify.Simulation.Kernels;

namespace Verify.Verification.Results;

/// <summary>The machine a result came from (BenchmarkDotNet's habit: every number carries its environment).</summary>
internal sealed record EnvironmentInfo(string Cpu, int Cores, string Runtime, string Os, string Blas)
{
    public static EnvironmentInfo Current(string blas) => new(Machine.CpuModel, Environment.ProcessorCount,
        RuntimeInformation.FrameworkDescription, RuntimeInformation.OSDescription, blas);
}
