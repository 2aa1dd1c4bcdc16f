using System.Text.Json;
using Verify.Simulation.Files;

namespace Verify.Verification.Settings;

/// <summary>The JSON files verify reads (experiments, `train --config`): bounded reads, syntax and nesting errors that name the file.</summary>
internal static class SettingsFile
{
    /// <summary>The deepest nesting read (System.Text.Json's default); the files verify reads need 4 levels at most.</summary>
    public const int MaxDepth = 64;

    /// <summary>The token reader's options (comments skipped, trailing commas allowed); the depth is checked by the pass, with a message.</summary>
    public static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 2 * MaxDepth };

    /// <summary>
    /// The settings of a flat JSON object { "key": value, … } in <paramref name="path"/> (`train --config`), as text, in the
    /// file's order; a value that is null, an object or a list, or a key given twice, is an error naming the key.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Leaves(string path)
    {
        string what = $"config file '{path}'";
        byte[] json = ReadBytes(path);
        CheckSyntax(json, what); // syntax and depth, with their positions, before a document is built
        using var doc = JsonDocument.Parse(json.AsMemory(json.Length - WithoutBom(json).Length),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = ReaderOptions.MaxDepth });
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
            throw new InvalidInputException($"{what} must hold one JSON object of settings {{ \"n\": 100, … }}");
        var leaves = new List<KeyValuePair<string, string>>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            if (!seen.Add(p.Name)) throw new InvalidInputException($"setting '{p.Name}' appears twice in {what}: keep one");
            leaves.Add(new(p.Name, p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString()!,
                JsonValueKind.Number => p.Value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null => throw new InvalidInputException($"setting '{p.Name}' in {what} is null: give a value, or leave the key out for the default"),
                _ => throw new InvalidInputException($"setting '{p.Name}' in {what} must be a single value, found an object or a list"),
            }));
        }
        return leaves;
    }

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

    /// <summary>
    /// One pass over the tokens: a syntax error with its position, and nesting past <see cref="MaxDepth"/> by name
    /// (a document reader would say only that its own depth limit was passed).
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

    /// <summary>The text after a UTF-8 byte-order mark, which a token reader does not skip.</summary>
    public static ReadOnlySpan<byte> WithoutBom(ReadOnlySpan<byte> json) => json.StartsWith("\uFEFF"u8) ? json[3..] : json;

    /// <summary>The error for a document nested deeper than <see cref="MaxDepth"/> levels, naming the top-level key it happens under when known.</summary>
    public static InvalidInputException TooDeep(string what, string? under) =>
        new($"{what} is nested deeper than {MaxDepth} levels{(under is null ? "" : $" (under '{under}')")}: verify reads values at most 4 levels deep");
}
