using System.Text.Json;
using Verify.Simulation.Kernels;
using Verify.Verification.Cluster;
using Verify.Verification.Processes;

namespace Verify.Verification.Kernels;

/// <summary>
/// Tries OpenBLAS in a child verify (the hidden command <see cref="CommandName"/>, started as
/// <see cref="VerifyExecutable"/> says: also from a test host), so that a kernel that kills its process
/// (SIGILL from instructions the CPU lacks, SIGSEGV) kills the child, and this process falls back to the
/// managed kernel with a warning or refuses a forced openblas. A crash by SIGILL, SIGSEGV, SIGBUS or SIGFPE
/// is the machine's and is kept with the calibration (same machine key); a SIGABRT or a trial that does not
/// finish in time counts for this process only. A child that cannot be started, is killed from outside
/// (SIGKILL, SIGTERM, SIGINT), fails otherwise or answers for another machine key (another build) made no
/// trial: OpenBLAS is then tried in-process, as without a probe.
/// </summary>
internal sealed class ChildProbe(IReadOnlyList<string>? command = null, TimeSpan? timeout = null) : IOpenBlasProbe
{
    /// <summary>The hidden command that makes the trial in the child (Commands/BlasProbeCommand) and prints its verdict as one line of JSON.</summary>
    public const string CommandName = "blas-probe";

    /// <summary>A trial takes about a second (start, agreement check, calibration); this only bounds a hang.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public ProbeResult? Try(string machine)
    {
        IReadOnlyList<string> cmd;
        try { cmd = command ?? [.. VerifyExecutable.Command(), CommandName]; }
        catch (InvalidOperationException) { return null; }
        var limit = timeout ?? DefaultTimeout;
        var r = ChildProcess.Run(cmd[0], cmd.Skip(1), limit);
        if (r.StartError is not null) return null;
        if (r.TimedOut)
            return new(Calibration.Unusable(machine, $"did not finish its trial in a child process within {limit.TotalSeconds:0} s"), Lasting: false);
        if (Crash(r.ExitCode) is var (signal, lasting))
            return new(Calibration.Unusable(machine, $"crashed with {signal} when tried in a child process"), lasting);
        if (r.ExitCode != 0) return null;
        var verdict = Parse(r.Stdout);
        return verdict is { IsValid: true } && verdict.Machine == machine ? new(verdict, Lasting: true) : null;
    }

    /// <summary>A death by signal (exit code 128 + signal, as .NET reports it) that the trial itself caused, and whether it is the machine's.</summary>
    internal static (string Signal, bool Lasting)? Crash(int exitCode) => exitCode switch
    {
        128 + 4 => ("SIGILL (an instruction this CPU lacks)", true),
        128 + 11 => ("SIGSEGV (an invalid memory access)", true),
        128 + 7 => ("SIGBUS (a bus error)", true),
        128 + 8 => ("SIGFPE (an arithmetic exception)", true),
        128 + 6 => ("SIGABRT (aborted)", false),
        _ => null,
    };

    private static Calibration? Parse(string stdout)
    {
        string? line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (line is null) return null;
        try { return JsonSerializer.Deserialize<Calibration>(line, CalibrationFile.Json); }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException) { return null; }
    }
}
