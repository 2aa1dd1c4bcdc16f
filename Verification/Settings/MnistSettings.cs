using Verify.Simulation.Data;
using Verify.Verification.Cli;

namespace Verify.Verification.Settings;

/// <summary>Builds the MNIST data source from settings (filled in when the MNIST data layer lands).</summary>
public static class MnistSettings
{
    public static IDataSource Source(IReadOnlyDictionary<string, string> settings)
        => throw new UserInputException("data = mnist: MNIST support is not in this build yet");
}
