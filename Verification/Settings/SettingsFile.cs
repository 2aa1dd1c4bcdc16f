using Microsoft.Extensions.Configuration;
using Verify.Simulation.Files;

namespace Verify.Verification.Settings;

/// <summary>Reads a JSON file into configuration keys ("grid:d" for nested values), with errors that name the file.</summary>
internal static class SettingsFile
{
    public static IConfigurationRoot Load(string path)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new InvalidInputException($"config '{path}' is a directory, expected a JSON file");
        if (!File.Exists(full)) throw new InvalidInputException($"config file '{path}' not found");
        try
        {
            // Read as a regular file of bounded size, then parsed from memory: a FIFO or a device is refused, not read forever.
            return new ConfigurationBuilder().AddJsonStream(new MemoryStream(InputFile.ReadAllBytes(path, "config file", InputLimits.ExperimentFile))).Build();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new InvalidInputException($"config file '{path}' is not valid JSON: {(ex.InnerException ?? ex).Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"config file '{InputFile.Printable(path)}' cannot be read: {Results.AtomicFile.Reason(ex)}");
        }
    }

    /// <summary>Leaf values directly under <paramref name="section"/> (or the root); nested objects are reported by name.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Leaves(IConfiguration section)
    {
        foreach (var child in section.GetChildren())
        {
            if (child.Value is not null) yield return new(child.Key, child.Value);
            else if (child.GetChildren().Any())
                throw new InvalidInputException($"setting '{child.Path}' must be a single value, found an object or a list");
            else yield return new(child.Key, "");
        }
    }
}
