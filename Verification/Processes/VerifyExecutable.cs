namespace Verify.Verification.Processes;

/// <summary>
/// How a batch task starts the verify that is running now, as absolute paths: the program itself when it
/// is the `verify` apphost (or a single-file build); `dotnet verify.dll` when it was started that way
/// (`dotnet run`, `dotnet verify.dll`); from elsewhere (a test host) the apphost beside verify.dll, else
/// `dotnet verify.dll`. The same build then computes every shard, so the same seeds give the same numbers.
/// </summary>
internal static class VerifyExecutable
{
    public static IReadOnlyList<string> Command()
    {
        string? process = Environment.ProcessPath;
        string processName = process is null ? "" : Path.GetFileNameWithoutExtension(process);
        if (process is not null && processName == "verify") return [Path.GetFullPath(process)];
#pragma warning disable IL3000 // empty in a single-file build (scripts/publish.sh), which the next line handles
        string dll = typeof(VerifyExecutable).Assembly.Location;
#pragma warning restore IL3000
        if (dll.Length == 0) // single-file, under another name
            return process is not null ? [Path.GetFullPath(process)] : throw new InvalidOperationException("cannot tell which program is running");
        if (process is not null && processName == "dotnet") return [Path.GetFullPath(process), dll];
        string apphost = Path.Combine(Path.GetDirectoryName(dll)!, OperatingSystem.IsWindows() ? "verify.exe" : "verify");
        if (File.Exists(apphost)) return [apphost];
        return [Dotnet() ?? "dotnet", dll];
    }

    private static string? Dotnet()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string p = Path.Combine(dir, "dotnet");
            if (File.Exists(p)) return p;
        }
        return null;
    }
}
