using System.Text.Json;
using System.Text.Json.Serialization;
using Verify.Simulation.Files;
using Verify.Simulation.Kernels;
using Verify.Verification.Results;

namespace Verify.Verification.Kernels;

/// <summary>
/// The BLAS calibrations kept between processes (<see cref="Settings.CacheLocation.CalibrationFile"/> in the
/// cache folder), one entry per machine key, so that every run on a machine uses the same backend and the
/// trial and the half-second calibration are paid once. A cache, so best effort: a missing file means "not
/// calibrated yet"; one that is not a regular file (a FIFO, a device), larger than <see cref="MaxBytes"/>,
/// unreadable or not a calibration file is ignored with a one-line warning. Written atomically: an exclusively
/// created temporary file with an unpredictable name in the same folder (so a link planted there is never
/// followed), renamed into place, deleted on any failure (a full disk included). A regular file is replaced;
/// anything else at the cache's name (a link, a FIFO, a device, a folder) is left as it is, as every output
/// of verify's is (<see cref="AtomicFile"/>), and no calibration is kept until it is removed.
/// </summary>
internal sealed class CalibrationFile(string path, Action<string>? warn) : ICalibrationStore
{
    /// <summary>16 entries of under 1 KiB each; anything larger is not one verify wrote.</summary>
    public const long MaxBytes = InputFile.MiB;
    private const int MaxEntries = 16;

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private sealed record Content(int Format, List<Calibration?>? Calibrations);

    private bool _warned;

    public string Path { get; } = path;

    public Calibration? Load(string machine) => Read().FirstOrDefault(c => c.Machine == machine && c.IsValid);

    public bool Save(Calibration calibration)
    {
        var entries = Read().Where(c => c.Machine != calibration.Machine && c.IsValid)
            .OrderByDescending(c => c.MeasuredAt).Take(MaxEntries - 1).Prepend(calibration).ToList();
        try
        {
            AtomicFile.WriteAllText(Path, JsonSerializer.Serialize(new Content(1, entries!), Json));
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return false;
        }
    }

    private List<Calibration> Read()
    {
        string text;
        try { text = InputFile.ReadAllText(Path, "the calibration cache", MaxBytes); }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException) { return []; }
        catch (InvalidInputException ex) { return Ignored(ex.Message, replaced: InputFile.Kind(Path) is null); } // a FIFO, a device, a folder, too large
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return Ignored($"the calibration cache '{Printable}' cannot be read ({ex.Message})");
        }
        try
        {
            var content = JsonSerializer.Deserialize<Content>(text, Json);
            return content is { Format: 1, Calibrations: { } list } ? list.OfType<Calibration>().ToList()
                : Ignored($"the calibration cache '{Printable}' is not one verify wrote (no list of calibrations in format 1)");
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException)
        {
            return Ignored($"the calibration cache '{Printable}' is not valid JSON ({ex.Message})");
        }
    }

    private string Printable => InputFile.Printable(Path);

    /// <summary>Once per file: Save reads the file again.</summary>
    private List<Calibration> Ignored(string why, bool replaced = true)
    {
        if (!_warned) warn?.Invoke($"warning: {InputFile.Printable(why)}; ignored: verify calibrates again and "
            + (replaced ? "replaces it" : "keeps no calibration until it is removed"));
        _warned = true;
        return [];
    }
}
