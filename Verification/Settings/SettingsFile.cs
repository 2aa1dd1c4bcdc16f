using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Verify.Simulation.Files;

namespace Verify.Verification.Settings;

/// <summary>Reads a JSON file into configuration keys ("grid:d" for nested values), with errors that name the file.</summary>
internal static class SettingsFile
{
    /// <summary>The nesting the configuration reader accepts (System.Text.Json's default); the files verify reads need 4 levels at most.</summary>
    public const int MaxDepth = 64;

    /// <summary>The configuration reader's options (comments skipped, trailing commas allowed), for a pass that must accept what it accepts; the depth is checked by the pass, with a message.</summary>
    public static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 2 * MaxDepth };

    public static IConfigurationRoot Load(string path) => Parse(ReadBytes(path), $"config file '{path}'");

    /// <summary>The file's bytes; a folder or a missing file is an input error naming the path.</summary>
    public static byte[] ReadBytes(string path)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new InvalidInputException($"config '{path}' is a directory, expected a JSON file");
        if (!File.Exists(full)) throw new InvalidInputException($"config file '{path}' not found");
        // A regular file of bounded size: a FIFO or a device is refused, not read forever.
        try { return InputFile.ReadAllBytes(full, "config file", InputLimits.ExperimentFile); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"config file '{InputFile.Printable(path)}' cannot be read: {InputFile.Reason(ex)}");
        }
    }

    /// <summary>The configuration keys of a JSON document; <paramref name="what"/> names it in errors ("config file 'e.json'").</summary>
    public static IConfigurationRoot Parse(byte[] json, string what)
    {
        CheckSyntax(json, what);
        try
        {
            return new ConfigurationBuilder().AddJsonStream(new MemoryStream(json, writable: false)).Build();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or JsonException)
        {
            throw new InvalidInputException($"{what} is not valid JSON: {(ex.InnerException ?? ex).Message}");
        }
    }

    /// <summary>
    /// One pass over the tokens: a syntax error with its position, and nesting past <see cref="MaxDepth"/> by name
    /// (the configuration reader says only "Could not parse the JSON file" for either).
    /// </summary>
    public static void CheckSyntax(ReadOnlySpan<byte> json, string what)
    {
        var reader = new Utf8JsonReader(WithoutBom(json), ReaderOptions);
        try
        {
            while (reader.Read())
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= MaxDepth)
                    throw TooDeep(what, null);
        }
        catch (JsonException ex)
        {
            throw new InvalidInputException($"{what} is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>The text after a UTF-8 byte-order mark, which the configuration reader skips and a token reader does not.</summary>
    public static ReadOnlySpan<byte> WithoutBom(ReadOnlySpan<byte> json) => json.StartsWith("\uFEFF"u8) ? json[3..] : json;

    /// <summary>The error for a document nested deeper than <see cref="MaxDepth"/> levels, naming the top-level key it happens under when known.</summary>
    public static InvalidInputException TooDeep(string what, string? under) =>
        new($"{what} is nested deeper than {MaxDepth} levels{(under is null ? "" : $" (under '{under}')")}: verify reads values at most 4 levels deep");

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
