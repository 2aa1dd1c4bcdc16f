using System.Globalization;
using System.Text;

namespace Verify.Verification.Output;

/// <summary>
/// The one line an error is on stderr, whatever its message holds: a message can quote a file's content, a
/// path or a child program's output (npm once wrote 20 MB of stderr), and a script reading verify's stderr,
/// like a user, expects one "error:" line of readable length.
/// </summary>
internal static class ErrorLine
{
    /// <summary>The longest message printed, in characters; the rest is cut and counted.</summary>
    public const int MaxLength = 2000;

    /// <summary>"error: " and the message on one line, at most <see cref="MaxLength"/> characters of it.</summary>
    public static string Of(string message) => "error: " + OneLine(message);

    /// <summary>
    /// Line breaks become spaces (a run of them one space), other control characters '?' but for the tab, which
    /// breaks no line and may be part of a value the user typed; a text longer
    /// than <paramref name="max"/> keeps its start and says how much was cut: "… (1234 characters cut)".
    /// </summary>
    public static string OneLine(string text, int max = MaxLength)
    {
        var sb = new StringBuilder(Math.Min(text.Length, max + 64));
        int cut = 0;
        bool space = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is '\n' or '\r' or '\v' or '\f' or '\u0085' or '\u2028' or '\u2029')
            {
                if (space) continue;
                space = true;
                c = ' ';
            }
            else
            {
                space = false;
                if (char.IsControl(c) && c != '\t') c = '?';
            }
            if (sb.Length == max)
            {
                cut = text.Length - i;
                break;
            }
            sb.Append(c);
        }
        // A surrogate pair split at the cut would print as a replacement character: cut before it.
        if (cut > 0 && char.IsHighSurrogate(sb[^1])) { sb.Length--; cut++; }
        string line = sb.ToString().TrimEnd();
        return cut == 0 ? line : line + $" … ({cut.ToString(CultureInfo.InvariantCulture)} characters cut)";
    }
}
