using System.Text;
using System.Text.RegularExpressions;

namespace Verify.Verification.Reports;

/// <summary>
/// Escaping of text that comes from the user (experiment name, description, notes, setting values)
/// so that Markdown shows it literally: no emphasis, links, tables, headings, lists or raw HTML come
/// out of it. Every character that Markdown or the report's extensions may read as syntax is
/// backslash-escaped (CommonMark allows that for all ASCII punctuation).
/// </summary>
internal static partial class MarkdownText
{
    // Syntax anywhere on a line: emphasis, code, links and images, raw HTML and entities, tables,
    // headings' closing #, strikethrough and sub/superscript, math, generic attributes.
    private const string Anywhere = "\\`*_[]<>|#~^$&{}";

    /// <summary>A block of text: lines and blank-line paragraphs kept, leading indentation dropped (it would make code), block markers at line starts escaped.</summary>
    public static string Block(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        return string.Join("\n", lines.Select(l => EscapeLineStart(Escape(l.Trim())))).Trim('\n');
    }

    /// <summary>One line of text that starts a block's content (a list item): newlines become spaces, block markers at its start escaped.</summary>
    public static string Inline(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        string one = Whitespace().Replace(text, " ").Trim();
        return EscapeLineStart(Escape(one));
    }

    /// <summary>
    /// Text inside a line that something else starts (a heading after "# ", a table cell, a sentence):
    /// one line, all inline syntax escaped; block markers need no escape there ("0.1" stays "0.1").
    /// </summary>
    public static string Span(string? text)
        => string.IsNullOrEmpty(text) ? "" : Escape(Whitespace().Replace(text, " ").Trim());

    /// <summary>A table cell: a <see cref="Span"/> that is never empty (an empty cell reads as a missing one). Pipes are escaped.</summary>
    public static string Cell(string? text)
    {
        string s = Span(text);
        return s.Length == 0 ? " " : s;
    }

    private static string Escape(string s)
    {
        var sb = new StringBuilder(s.Length + 8);
        foreach (char c in s)
        {
            if (Anywhere.Contains(c)) sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    // Lists (-, +, *, 1. and 1)), block quotes (>), setext underlines (=, -), definition lists and
    // containers (:), grid tables (+) at the start of a line.
    private static string EscapeLineStart(string line)
    {
        if (line.Length == 0) return line;
        if ("-+=:>".Contains(line[0])) return "\\" + line;
        var m = OrderedListStart().Match(line);
        return m.Success ? m.Groups[1].Value + "\\" + line[m.Groups[1].Length..] : line;
    }

    /// <summary>A fence for a code block that cannot be closed by the content: longer than its longest run of backticks.</summary>
    public static string Fence(string content)
    {
        int longest = 0, run = 0;
        foreach (char c in content)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return new string('`', Math.Max(3, longest + 1));
    }

    [GeneratedRegex("\\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("^(\\d{1,9})[.)]")]
    private static partial Regex OrderedListStart();
}
