using System.Text.Json;

using Verify.Verification.Processes;

namespace Verify.Verification.Benchmarking;

/// <summary>One run of the baseline script: its train_seconds, or why there is none.</summary>
internal sealed record PythonRun(double? TrainSeconds, string? Failure);

/// <summary>What `python -c "import torch"` says: versions, or null when unknown.</summary>
internal sealed record PythonProbe(string? PythonVersion, string? TorchVersion, string? TorchError);

/// <summary>
/// Finding and running the PyTorch baseline. Nothing here throws for a missing interpreter, a
/// missing torch or a failing script: each becomes a note, and Verify's own timing is still reported.
/// </summary>
internal static class PythonBaseline
{
    public const string FileName = "pytorch_reference.py";
    public const string EnvironmentVariable = "VERIFY_BASELINE";
    public const string TorchInstallHint = "apt-get install -y python3-torch python3-numpy";

    /// <summary>
    /// The explicit path when given; otherwise ../shared/baselines/pytorch_reference.py from the repository
    /// root (the folder with Verify.sln above the current directory or above this program), then from the
    /// current directory, then $VERIFY_BASELINE. <paramref name="searched"/> lists what was tried.
    /// </summary>
    public static string? Locate(string? explicitPath, out List<string> searched)
    {
        searched = [];
        if (explicitPath is not null) { searched.Add(explicitPath); return File.Exists(explicitPath) ? Path.GetFullPath(explicitPath) : null; }
        var candidates = new List<string>();
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            if (RepositoryRoot(start) is { } root)
                candidates.Add(Path.Combine(root, "..", "shared", "baselines", FileName));
        candidates.Add(Path.Combine(Directory.GetCurrentDirectory(), "..", "shared", "baselines", FileName));
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env) candidates.Add(env);
        foreach (var c in candidates.Select(Path.GetFullPath).Distinct())
        {
            searched.Add(c);
            if (File.Exists(c)) return c;
        }
        return null;
    }

    /// <summary>The nearest folder at or above <paramref name="start"/> that holds Verify.sln.</summary>
    public static string? RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Verify.sln"))) return dir.FullName;
        return null;
    }

    /// <summary>The interpreter's full path: as given when it contains a '/', else looked up on PATH; null when absent.</summary>
    public static string? ResolveExecutable(string name)
    {
        if (name.Contains('/')) return File.Exists(name) ? Path.GetFullPath(name) : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var full = Path.Combine(dir, name);
            if (File.Exists(full)) return full;
        }
        return null;
    }

    /// <summary>Asks a Python interpreter for its version and torch's. Only for executables named python*.</summary>
    public static PythonProbe? Probe(string python)
    {
        if (!Path.GetFileName(python).StartsWith("python", StringComparison.OrdinalIgnoreCase)) return null;
        var r = Execute(python, ["-c", "import sys; print(sys.version.split()[0], flush=True); import torch; print(torch.__version__)"], TimeSpan.FromSeconds(120));
        if (r.Error is not null) return new PythonProbe(null, null, r.Error);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string? pv = lines.Length > 0 ? lines[0] : null;
        if (r.ExitCode == 0 && lines.Length > 1) return new PythonProbe(pv, lines[1], null);
        return new PythonProbe(pv, null, LastLine(r.Stderr) ?? $"exit code {r.ExitCode}");
    }

    /// <summary>Runs the script once and reads train_seconds from the last JSON line it prints.</summary>
    public static PythonRun RunOnce(string python, string script, IReadOnlyList<string> args)
    {
        var r = Execute(python, [script, .. args], timeout: null);
        if (r.Error is not null) return new PythonRun(null, r.Error);
        if (r.ExitCode != 0)
        {
            if (r.Stderr.Contains("No module named 'torch'"))
                return new PythonRun(null, $"torch is not installed for {python} ({TorchInstallHint})");
            return new PythonRun(null, $"the baseline exited with code {r.ExitCode}: {LastLine(r.Stderr) ?? LastLine(r.Stdout) ?? "no output"}");
        }
        return ParseTrainSeconds(r.Stdout) is { } s
            ? new PythonRun(s, null)
            : new PythonRun(null, "the baseline printed no JSON line with a numeric train_seconds ≥ 0");
    }

    /// <summary>train_seconds from the last line of <paramref name="stdout"/> that is a JSON object holding it.</summary>
    public static double? ParseTrainSeconds(string stdout)
    {
        foreach (var raw in stdout.Split('\n').Reverse())
        {
            var line = raw.Trim();
            if (!line.StartsWith('{')) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.ValueKind == JsonValueKind.Object
                    && doc.RootElement.TryGetProperty("train_seconds", out var ts)
                    && ts.ValueKind == JsonValueKind.Number && ts.GetDouble() is var v && v >= 0 && double.IsFinite(v))
                    return v;
            }
            catch (JsonException) { }
        }
        return null;
    }

    private sealed record Executed(int ExitCode, string Stdout, string Stderr, string? Error);

    private static Executed Execute(string file, IReadOnlyList<string> args, TimeSpan? timeout)
    {
        var r = ChildProcess.Run(file, args, timeout);
        if (r.StartError is { } ex) return new Executed(-1, "", "", $"cannot start {file}: {ex.Message}");
        return new Executed(r.ExitCode, r.Stdout, r.Stderr, r.TimedOut ? $"{file} did not answer within {timeout!.Value.TotalSeconds:0} s" : null);
    }

    private static string? LastLine(string text)
        => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
}
