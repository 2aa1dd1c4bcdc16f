namespace Verify.Verification.Tests.Cluster;

/// <summary>
/// Stand-ins for sbatch, sacct and squeue in a folder that $VERIFY_SLURM_BIN points at while the object lives:
/// each is a bash script printing canned output (and sbatch records its arguments).
/// </summary>
internal sealed class FakeSlurm : IDisposable
{
    private readonly string? _saved = Environment.GetEnvironmentVariable("VERIFY_SLURM_BIN");

    public FakeSlurm(string folder)
    {
        Bin = folder;
        Directory.CreateDirectory(folder);
        Environment.SetEnvironmentVariable("VERIFY_SLURM_BIN", folder);
    }

    public string Bin { get; }

    /// <summary>The arguments the fake sbatch was last called with, one per line.</summary>
    public string SbatchCalls => Path.Combine(Bin, "sbatch.calls");

    /// <summary>A command printing <paramref name="stdout"/> and <paramref name="stderr"/> and exiting with <paramref name="exit"/>.</summary>
    public FakeSlurm With(string name, string stdout, int exit = 0, string stderr = "")
    {
        string path = Path.Combine(Bin, name);
        File.WriteAllText(path, $$"""
            #!/bin/bash
            printf '%s\n' "$@" > '{{Path.Combine(Bin, name + ".calls")}}'
            cat <<'VERIFY_FAKE_OUT'
            {{stdout}}
            VERIFY_FAKE_OUT
            [ -n '{{stderr.Replace("'", "")}}' ] && echo '{{stderr.Replace("'", "")}}' >&2
            exit {{exit}}
            """.Replace("\r", ""));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return this;
    }

    public void Dispose() => Environment.SetEnvironmentVariable("VERIFY_SLURM_BIN", _saved);
}
