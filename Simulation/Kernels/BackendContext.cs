namespace Verify.Simulation.Kernels;

/// <summary>
/// What an application lends <see cref="Backend"/> when it chooses the kernel: a place to keep calibrations
/// between processes, and a way to try OpenBLAS where a crash cannot take the application down. Both are
/// optional, and the library does neither on its own (it writes no files and starts no processes): without
/// them a calibration lasts for the process, and OpenBLAS is tried in-process.
/// </summary>
public sealed record BackendContext(ICalibrationStore? Store = null, IOpenBlasProbe? Probe = null);

/// <summary>Calibrations kept between processes, one per machine key (Verification: a JSON file in the cache folder).</summary>
public interface ICalibrationStore
{
    /// <summary>The calibration kept for this machine key, or null (none, or a store that cannot be read).</summary>
    Calibration? Load(string machine);

    /// <summary>Keeps a calibration, best effort: false when it could not be kept.</summary>
    bool Save(Calibration calibration);
}

/// <summary>
/// Tries OpenBLAS in another process (Verification: a child `verify`), as <see cref="Backend.TryOpenBlas"/>
/// does in-process: the agreement check, then the calibration. A kernel that kills its process
/// (SIGILL from instructions the CPU lacks, SIGSEGV) then costs a warning, not the run.
/// </summary>
public interface IOpenBlasProbe
{
    /// <summary>What the trial found, or null when it could not be made (then OpenBLAS is tried in-process).</summary>
    ProbeResult? Try(string machine);
}

/// <summary>
/// A trial's verdict: a calibration, or one with a <see cref="Calibration.Problem"/>. <paramref name="Lasting"/>:
/// a property of the machine (a crash, a disagreement, the times), kept in the store; false for what may
/// pass (a trial that did not finish in time), which counts for this process only.
/// </summary>
public sealed record ProbeResult(Calibration Verdict, bool Lasting);
