namespace Verify.Simulation.Kernels;

/// <summary>
/// Picks the dense kernel: OpenBLAS when libopenblas.so.0 loads, the managed kernel otherwise.
/// VERIFY_BLAS=managed forces the fallback (tests and comparisons).
/// </summary>
public static class Backend
{
    public static IGemm Default { get; } = Choose(Environment.GetEnvironmentVariable("VERIFY_BLAS"));

    public static IGemm Choose(string? preference) => preference?.ToLowerInvariant() switch
    {
        "managed" => ManagedGemm.Instance,
        "openblas" => OpenBlas.TryLoad() ?? throw new InvalidOperationException($"VERIFY_BLAS=openblas but {OpenBlas.LibraryName} cannot be loaded"),
        _ => (IGemm?)OpenBlas.TryLoad() ?? ManagedGemm.Instance,
    };

    /// <summary>
    /// Threads of the default kernel (settable: parallel runs give each a share of the cores):
    /// OpenBLAS's thread count, or the most cores one managed product uses.
    /// </summary>
    public static int Threads
    {
        get => Default switch
        {
            OpenBlas ob when ob.Threads > 0 => ob.Threads,
            ManagedGemm mg => mg.Threads,
            _ => Environment.ProcessorCount,
        };
        set
        {
            if (Default is OpenBlas ob) ob.Threads = Math.Max(1, value);
            else if (Default is ManagedGemm mg) mg.Threads = value;
        }
    }

    /// <summary>"openblas (Haswell, 2 threads)" or "managed".</summary>
    public static string Describe(IGemm g) => g is OpenBlas ob ? $"openblas ({ob.CoreName}, {ob.Threads} threads)" : g.Name;
}
