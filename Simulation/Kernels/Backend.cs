using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Verify.Simulation.Kernels;

/// <summary>The kernel chosen, what was asked for, and why this one (recorded with every result).</summary>
public sealed record BackendSelection(IGemm Gemm, BlasChoice Requested, string Reason, string? Warning = null);

/// <summary>
/// Picks the dense kernel. <see cref="BlasChoice.Auto"/> (the default) takes the faster of the managed
/// kernel and OpenBLAS as measured on this machine (<see cref="Calibrator"/>, cached per machine; a tie
/// within <see cref="Calibration.OpenBlasMargin"/> goes to the managed kernel);
/// managed or openblas force one (option --blas, or VERIFY_BLAS). OpenBLAS is used only after it has
/// agreed with the managed kernel on small products of the hot shapes (<see cref="AgreementCheck"/>,
/// once per process): when it disagrees, auto falls back to the managed kernel with a warning, and a
/// forced openblas is refused.
/// </summary>
public static class Backend
{
    public const string EnvironmentVariable = "VERIFY_BLAS";

    private static Lazy<BackendSelection> s_current = new(() => Select(FromEnvironment(), calibrationFile: null));

    /// <summary>The selection in force; made on first use (an auto selection calibrates then, unless cached).</summary>
    public static BackendSelection Current => s_current.Value;

    public static IGemm Default => Current.Gemm;

    /// <summary>The choice VERIFY_BLAS asks for (auto when unset).</summary>
    public static BlasChoice FromEnvironment() => BlasChoices.Parse(Environment.GetEnvironmentVariable(EnvironmentVariable), EnvironmentVariable);

    /// <summary>
    /// Replaces the selection for this process until the returned handle is disposed. The choice is made
    /// lazily, on first use, so that commands that never multiply matrices never calibrate; its warning,
    /// if any, goes to <paramref name="warn"/> then.
    /// </summary>
    public static IDisposable Configure(BlasChoice choice, string? calibrationFile, Action<string>? warn)
    {
        var previous = s_current;
        s_current = new Lazy<BackendSelection>(() =>
        {
            var s = Select(choice, calibrationFile);
            if (s.Warning is { } w) warn?.Invoke(w);
            return s;
        });
        return new Restore(previous);
    }

    private sealed class Restore(Lazy<BackendSelection> previous) : IDisposable
    {
        public void Dispose() => s_current = previous;
    }

    public static BackendSelection Select(BlasChoice choice, string? calibrationFile) =>
        Select(choice, OpenBlas.TryLoad(), ManagedGemm.Instance, calibrationFile);

    /// <param name="native">The native kernel, or null when its library is absent (tests pass a fake).</param>
    internal static BackendSelection Select(BlasChoice choice, IGemm? native, IGemm managed, string? calibrationFile)
    {
        if (choice == BlasChoice.Managed) return new(managed, choice, "forced");
        if (native is null)
            return choice == BlasChoice.OpenBlas
                ? throw new InvalidInputException($"blas = openblas is not possible here: {OpenBlas.LibraryName} cannot be loaded; install OpenBLAS (Debian: libopenblas0-pthread) or use auto or managed")
                : new(managed, choice, $"auto: {OpenBlas.LibraryName} not found");

        if (Disagreement(native, managed) is { } mismatch)
        {
            string what = $"{Describe(native)} disagrees with the managed kernel ({mismatch})";
            return choice == BlasChoice.OpenBlas
                ? throw new InvalidInputException($"blas = openblas is not safe here: {what}; set OPENBLAS_CORETYPE to another kernel, or use auto or managed")
                : new(managed, choice, $"auto: {what}, fell back", $"warning: {what}; using the managed kernel");
        }
        if (choice == BlasChoice.OpenBlas) return new(native, choice, "forced");

        var calibration = Calibrate(native, managed, calibrationFile);
        string verdict = calibration.Verdict(Describe(managed, threads: false), Describe(native, threads: false));
        return new(calibration.Choice == BlasChoice.OpenBlas ? native : managed, choice,
            $"auto: {verdict} on the hot shapes, calibrated {calibration.MeasuredAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
    }

    // Once per process and kernel: a product costs microseconds, but a wrong kernel stays wrong.
    private static readonly ConditionalWeakTable<IGemm, string> Checked = new();
    private const string Agrees = "";

    private static string? Disagreement(IGemm native, IGemm managed)
    {
        string result = Checked.GetValue(native, n => AgreementCheck.FindMismatch(n, managed) ?? Agrees);
        return result == Agrees ? null : result;
    }

    private static readonly Dictionary<string, Calibration> Calibrated = new();

    private static Calibration Calibrate(IGemm native, IGemm managed, string? file)
    {
        string machine = MachineKey(native, managed);
        lock (Calibrated)
        {
            if (Calibrated.TryGetValue(machine, out var known)) return known;
            var calibration = (file is null ? null : CalibrationCache.Load(file, machine)) ?? Measure();
            return Calibrated[machine] = calibration;
        }

        Calibration Measure()
        {
            var (m, o) = Calibrator.Measure(managed, native);
            var c = new Calibration(machine, m, o, DateTimeOffset.UtcNow);
            if (file is not null) CalibrationCache.Save(file, c);
            return c;
        }
    }

    /// <summary>Forgets this process's calibrations, so that the next auto selection reads the cache file (tests).</summary>
    internal static void ForgetCalibrations()
    {
        lock (Calibrated) Calibrated.Clear();
    }

    /// <summary>
    /// What a calibration depends on: CPU, cores, runtime, Verify's build (version and module id: a
    /// rebuilt kernel is measured anew), both kernels and OpenBLAS's settings.
    /// </summary>
    private static string MachineKey(IGemm native, IGemm managed) => string.Join(" | ",
        Machine.CpuModel, $"{Environment.ProcessorCount} cores", RuntimeInformation.FrameworkDescription,
        $"verify {Runs.Simulator.Version} ({typeof(Backend).Assembly.ManifestModule.ModuleVersionId:N})",
        Describe(managed, threads: false), Describe(native, threads: false),
        $"OPENBLAS_CORETYPE={Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE")}",
        $"OPENBLAS_NUM_THREADS={Environment.GetEnvironmentVariable("OPENBLAS_NUM_THREADS")}");

    /// <summary>Threads of the default kernel (settable: parallel runs give each a share of the cores).</summary>
    public static int Threads
    {
        get => Default.Threads;
        set => Default.Threads = value;
    }

    /// <summary>
    /// "openblas (Cooperlake, 2 threads)", "managed (Vector512, 1 thread)"; for the kernel in force, with
    /// why it was chosen: "managed (Vector512, 2 threads; auto: 1.05× faster than openblas …)".
    /// </summary>
    public static string Describe(IGemm g)
    {
        string reason = s_current.IsValueCreated && ReferenceEquals(g, s_current.Value.Gemm) ? "; " + s_current.Value.Reason : "";
        return Describe(g, threads: true, reason);
    }

    private static string Describe(IGemm g, bool threads, string reason = "")
    {
        string kernel = g switch
        {
            OpenBlas ob => ob.CoreName,
            ManagedGemm mg => mg.Width switch
            {
                SimdWidth.V512 => "Vector512",
                SimdWidth.V256 => "Vector256",
                SimdWidth.Vector => "Vector<T>",
                _ => "scalar",
            },
            _ => g.GetType().Name,
        };
        string count = threads ? $", {g.Threads} thread{(g.Threads == 1 ? "" : "s")}" : "";
        return $"{g.Name} ({kernel}{count}{reason})";
    }
}
