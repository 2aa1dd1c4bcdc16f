namespace Verify.Verification.Tests;

/// <summary>The checkout the tests run in (the folder with Verify.sln above the test binaries).</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Verify.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Verify.sln not found above " + AppContext.BaseDirectory);
    }
}
