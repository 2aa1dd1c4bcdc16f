using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Verify.Simulation.Kernels;

/// <summary>The kernel chosen, what was asked for, and why this one (recorded with every result).</summary>
public sealed record BackendSelection(IGemm Gemm, BlasChoice Requested, string Reason, string? Warning = null);

/// <summary>
/// Picks the dense kernel. <see cref="BlasChoice.Auto"/> (the default) takes the faster of the managed
/// kernel and OpenBLAS as measured on this machine (<see cref="Calibrator"/>, cached per machine; a tie
/// within <see cref="Calibration.OpenBlasMargin"/> goes to the managed kernel);
/// managed or openblas force one (option --blas, or VERIFY_BLAS). OpenBLAS is used only when it can run
/// here and agrees with the managed kernel: its CPU kernel must not need instructions the CPU lacks
/// (<see cref="OpenBlasCores"/>), a trial in a child process, when the application lends one
/// (<see cref="BackendContext"/>), must not crash or disagree, and it must agree with the managed kernel
/// on small products of the hot shapes in this process too (<see cref="AgreementCheck"/>, once per process).
/// When it fails any of these, auto falls back to the managed kernel with a one-line warning, and a
/// forced openblas is refused.
/// </summary>
public static class Backend
{
    /// <summary>Verify's version (the Simulation assembly's informational version, without the commit suffix).</summary>
    public static string Version { get; } =
        typeof(Backend).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public const string EnvironmentVariable = "VERIFY_BLAS";

    private static Lazy<BackendSelection> s_current = new(() => Select(FromEnvironment()));

    /// <summary>The selection in force; made on first use (an auto selection calibrates then, unless cached).</summary>
    public static BackendSelection Current => s_current.Value;

    public static IGemm Default => Current.Gemm;

    /// <summary>
    /// The choice VERIFY_BLAS asks for: auto when unset or set to the empty string (as for the XDG variables,
    /// empty counts as unset); a blank or unknown value is an error naming the variable.
    /// </summary>
    public static BlasChoice FromEnvironment() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } text ? BlasChoices.Parse(text, EnvironmentVariable) : BlasChoice.Auto;

    /// <summary>
    /// Replaces the selection for this process until the returned handle is disposed. The choice is made
    /// lazily, on first use, so that commands that never multiply matrices never calibrate; its warning,
    /// if any, goes to <paramref name="warn"/> then.
    /// </summary>
    public static IDisposable Configure(BlasChoice choice, BackendContext? context, Action<string>? warn)
    {
        var previous = s_current;
        s_current = new Lazy<BackendSelection>(() =>
        {
            var s = Select(choice, context);
            if (s.Warning is { } w) warn?.Invoke(w);
            return s;
        });
        return new Restore(previous);
    }

    private sealed class Restore(Lazy<BackendSelection> previous) : IDisposable
    {
        public void Dispose() => s_current = previous;
    }

    public static BackendSelection Select(BlasChoice choice, BackendContext? context = null) =>
        Select(choice, OpenBlas.TryLoad(), ManagedGemm.Instance, context);

    /// <param name="native">The native kernel, or null when its library is absent (tests pass a fake).</param>
    internal static BackendSelection Select(BlasChoice choice, IGemm? native, IGemm managed, BackendContext? context)
    {
        if (choice == BlasChoice.Managed) return new(managed, choice, "forced");
        if (native is null)
            return choice == BlasChoice.OpenBlas
                ? throw new InvalidInputException($"blas = openblas is not possible here: {OpenBlas.LibraryName} cannot be loaded; install OpenBLAS (Debian: libopenblas0-pthread) or use auto or managed")
                : new(managed, choice, $"auto: {OpenBlas.LibraryName} not found");

        var (calibration, problem) = Try(native, managed, context, calibrate: choice == BlasChoice.Auto);
        if (problem is not null)
        {
            string what = $"{Describe(native, threads: false)} {problem}";
            string wayOut = Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") is { Length: > 0 }
                ? "unset OPENBLAS_CORETYPE or set it to another kernel" : "set OPENBLAS_CORETYPE to another kernel";
            return choice == BlasChoice.OpenBlas
                ? throw new InvalidInputException($"blas = openblas is not safe here: {what}; {wayOut}, or use auto or managed")
                : new(managed, choice, $"auto: {what}, fell back", $"warning: {what}; using the managed kernel");
        }
        if (choice == BlasChoice.OpenBlas) return new(native, choice, "forced");

        string verdict = calibration!.Verdict(Describe(managed, threads: false), Describe(native, threads: false));
        return new(calibration.Choice == BlasChoice.OpenBlas ? native : managed, choice,
            $"auto: {verdict} on the hot shapes, calibrated {calibration.MeasuredAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
    }

    /// <summary>
    /// Whether the native kernel may be used here (else why not: "disagrees with the managed kernel (…)"),
    /// and, when <paramref name="calibrate"/>, how fast it is: from this process's memory, else the store,
    /// else a trial in a child process, else measured here.
    /// </summary>
    private static (Calibration? Calibration, string? Problem) Try(IGemm native, IGemm managed, BackendContext? context, bool calibrate)
    {
        // Before anything runs OpenBLAS: a kernel the CPU cannot execute kills the process, trial or not.
        if (native is OpenBlas ob && OpenBlasCores.Unsupported(ob.CoreName) is { } unsupported) return (null, unsupported);
        string machine = MachineKey(native, managed);
        Calibration? known;
        lock (Calibrated)
        {
            if (!Calibrated.TryGetValue(machine, out known))
            {
                known = context?.Store?.Load(machine);
                if (known is null && context?.Probe?.Try(machine) is { } tried)
                {
                    known = tried.Verdict;
                    if (tried.Lasting) context.Store?.Save(known);
                }
                if (known is not null) Calibrated[machine] = known;
            }
        }
        if (known?.Problem is { } problem) return (known, problem);

        // In this process too, after a child's trial: a product costs microseconds, and a kernel that
        // agreed in the child can still disagree here (another thread count, say).
        if (Disagreement(native, managed) is { } mismatch) return (null, Disagrees(mismatch));
        if (!calibrate || known is not null) return (known, null);
        lock (Calibrated)
        {
            if (!Calibrated.TryGetValue(machine, out known))
            {
                var (m, o) = Calibrator.Measure(managed, native);
                Calibrated[machine] = known = new Calibration(machine, m, o, DateTimeOffset.UtcNow);
                context?.Store?.Save(known);
            }
        }
        return (known, null);
    }

    /// <summary>
    /// The trial an <see cref="IOpenBlasProbe"/> makes in a process of its own: OpenBLAS's agreement with the
    /// managed kernel, then the calibration. It does not ask <see cref="OpenBlasCores"/> first: the point is
    /// to run the kernel, and a crash here is the answer.
    /// </summary>
    public static Calibration TryOpenBlas()
    {
        var native = OpenBlas.TryLoad() ?? throw new InvalidInputException($"blas = openblas is not possible here: {OpenBlas.LibraryName} cannot be loaded");
        var managed = ManagedGemm.Instance;
        string machine = MachineKey(native, managed);
        if (AgreementCheck.FindMismatch(native, managed) is { } mismatch) return Calibration.Unusable(machine, Disagrees(mismatch));
        var (m, o) = Calibrator.Measure(managed, native);
        return new Calibration(machine, m, o, DateTimeOffset.UtcNow);
    }

    private static string Disagrees(string mismatch) => $"disagrees with the managed kernel ({mismatch})";

    // Once per process and kernel: a product costs microseconds, but a wrong kernel stays wrong.
    private static readonly ConditionalWeakTable<IGemm, string> Checked = new();
    private const string Agrees = "";

    private static string? Disagreement(IGemm native, IGemm managed)
    {
        string result = Checked.GetValue(native, n => AgreementCheck.FindMismatch(n, managed) ?? Agrees);
        return result == Agrees ? null : result;
    }

    /// <summary>What this process knows per machine key: a calibration, or why OpenBLAS cannot be used.</summary>
    private static readonly Dictionary<string, Calibration> Calibrated = new();

    /// <summary>Forgets this process's calibrations, so that the next auto selection asks the store again (tests).</summary>
    internal static void ForgetCalibrations()
    {
        lock (Calibrated) Calibrated.Clear();
    }

    /// <summary>
    /// What a calibration depends on: CPU, cores, runtime, Verify's build (version and module id: a
    /// rebuilt kernel is measured anew), both kernels and OpenBLAS's settings.
    /// </summary>
    internal static string MachineKey(IGemm native, IGemm managed) => string.Join(" | ",
        Machine.CpuModel, $"{Environment.ProcessorCount} cores", RuntimeInformation.FrameworkDescription,
        $"verify {Version} ({typeof(Backend).Assembly.ManifestModule.ModuleVersionId:N})",
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
