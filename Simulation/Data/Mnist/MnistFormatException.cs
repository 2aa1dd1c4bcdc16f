namespace Verify.Simulation.Data.Mnist;

/// <summary>
/// An MNIST file or folder that cannot be used as it is. The message names the file, what was
/// expected there and what was found, so the user can fix the input without a debugger.
/// </summary>
public sealed class MnistFormatException(string file, string expected, string found)
    : ArgumentException($"{file}: expected {expected}, found {found}")
{
    public string File { get; } = file;
    public string Expected { get; } = expected;
    public string Found { get; } = found;
}
