namespace Verify.Testing;

/// <summary>
/// The NUnit categories of the test projects, named in one place (linked into each test project): write
/// <c>[Category(Categories.Slow)]</c>, never the string, so a misspelt name is a compile error rather than a new
/// category that no filter knows. <c>tests/Verification.Tests/Architecture/CategoryTests.cs</c> checks that every
/// category in the tests is one of these.
/// <para>Two tiers: <c>dotnet test Verify.sln</c> runs everything (CI); <c>dotnet test Verify.sln --filter "Category!=Slow"</c>
/// is the fast tier, which leaves out the tests marked <see cref="Slow"/>.</para>
/// </summary>
internal static class Categories
{
    /// <summary>
    /// Left out of the fast tier: a test (or a whole fixture) that takes seconds, such as training runs at realistic
    /// sizes, regression reruns, large GEMM sweeps and timing calibrations, and everything live on a cluster.
    /// </summary>
    public const string Slow = "Slow";

    /// <summary>Needs the Slurm programs, or a live Slurm scheduler (skipped, with the reason, without them). Always also <see cref="Slow"/>.</summary>
    public const string Slurm = "Slurm";

    /// <summary>Talks to a cluster scheduler (see <see cref="Slurm"/>). Always also <see cref="Slow"/>.</summary>
    public const string Cluster = "Cluster";

    /// <summary>Every category a test may carry.</summary>
    public static readonly IReadOnlyList<string> All = [Slow, Slurm, Cluster];
}
