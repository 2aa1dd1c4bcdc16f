using System.Runtime.InteropServices;

namespace Verify.Verification.Output;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM turned into a cancellation: work in flight stops, finished work is kept,
/// and the command reports "interrupted" with the shell's exit code for the signal (130 or 143).
/// </summary>
internal sealed class Interruption : IDisposable
{
    public const int SigIntExitCode = 130;
    public const int SigTermExitCode = 143;

    private readonly CancellationTokenSource _cts = new();
    private readonly ConsoleCancelEventHandler _onCancel;
    private readonly PosixSignalRegistration? _onTerm;
    private int _exitCode;

    public Interruption()
    {
        _onCancel = (_, e) => { e.Cancel = true; Stop(SigIntExitCode); };
        Console.CancelKeyPress += _onCancel;
        try { _onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; Stop(SigTermExitCode); }); }
        catch (PlatformNotSupportedException) { _onTerm = null; }
    }

    public CancellationToken Token => _cts.Token;

    /// <summary>130 after Ctrl-C, 143 after SIGTERM, 0 when not interrupted.</summary>
    public int ExitCode => Volatile.Read(ref _exitCode);

    /// <summary>The ending a stop by <paramref name="exitCode"/> (<see cref="SigIntExitCode"/> or <see cref="SigTermExitCode"/>) means.</summary>
    public static Ending EndingOf(int exitCode) => exitCode == SigTermExitCode ? Ending.Terminated : Ending.Interrupted;

    /// <summary>Stops the work as the signal would (also for tests).</summary>
    public void Stop(int exitCode)
    {
        Interlocked.CompareExchange(ref _exitCode, exitCode, 0);
        _cts.Cancel();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= _onCancel;
        _onTerm?.Dispose();
        _cts.Dispose();
    }
}
