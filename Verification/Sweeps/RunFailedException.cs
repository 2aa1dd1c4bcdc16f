namespace Verify.Verification.Sweeps;

/// <summary>
/// The work itself failed in a way no option could have prevented beforehand (a results folder that stopped
/// taking files in the middle of a sweep): one "error:" line and exit code 3 (ExitCodes.RunFailed),
/// with what was kept and how to go on.
/// </summary>
internal sealed class RunFailedException(string message, Exception? inner = null) : Exception(message, inner);
