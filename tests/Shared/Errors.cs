using System.Text.RegularExpressions;

namespace Verify.Testing;

/// <summary>
/// The contract of a refused input, asserted in one call (linked into each test project). The project's rule for bad
/// input is "a clear error that names the field, the value and what is allowed, and a nonzero exit code": that, and not
/// the sentence around it, is what a test pins. <see cref="InvalidInputException.MustBe"/> words it
/// "FIELD = 'VALUE' [in WHERE] is not allowed: must be ALLOWED"; other refusals ("FIELD in FILE is null: must be …",
/// "FILE: expected …, found …") name the field first, then the value and what is allowed.
/// <para>Pass the identifiers and the data (an option or setting name, the value as shown, the range), never prose:
/// a rewording of the explanation then breaks no test, while naming the wrong field, dropping the value or losing the
/// "must be"/"not allowed" part still does.</para>
/// </summary>
internal static partial class Errors
{
    /// <summary>The words that say what is allowed (MustBe's "is not allowed: must be …", InFile's "expected …", "must hold …").</summary>
    private static readonly Regex Allowed = new(@"\bmust\b|\ballowed\b|\bexpected\b", RegexOptions.CultureInvariant);

    /// <summary>
    /// <paramref name="message"/> names <paramref name="field"/>; after it, <paramref name="value"/> when given, as a whole
    /// token (bare "0" matches 0 or '0' but not 10; quoted "'0'" matches exactly '0'), and what is allowed ("must …",
    /// "… allowed", "expected …"), naming <paramref name="allowed"/> when given (e.g. the range "[1, 100000]" or the
    /// choices "auto, managed or openblas"). Value and allowed come in either order ("must be a number, found an empty list").
    /// </summary>
    public static void Names(string message, string field, string? value = null, string? allowed = null)
    {
        // The field as a whole name: "n" is named by "n = 0" or "--n", not by "n" inside "input".
        var name = new Regex(@"(?<![\p{L}\p{N}_])" + Regex.Escape(field) + @"(?![\p{L}\p{N}_])", RegexOptions.CultureInvariant).Match(message);
        Assert.That(name.Success, Is.True, $"the error names the field '{field}': {message}");
        int after = name.Index + name.Length;
        if (value is not null)
        {
            // Quoted ("'0'", "''"): exactly that; bare ("0"): that token, quoted or not, not inside a longer one.
            bool quoted = value.Length >= 2 && value[0] == '\'' && value[^1] == '\'';
            var token = new Regex(quoted ? Regex.Escape(value) : @"(?<![\p{L}\p{N}_.])'?" + Regex.Escape(value) + @"'?(?![\p{L}\p{N}_])", RegexOptions.CultureInvariant);
            Assert.That(token.IsMatch(message, after), Is.True, $"the error names the value {value} after the field '{field}': {message}");
        }
        Assert.That(Allowed.IsMatch(message, after), Is.True, $"the error says what is allowed, after the field: {message}");
        if (allowed is not null)
            Assert.That(message.IndexOf(allowed, after, StringComparison.Ordinal), Is.GreaterThanOrEqualTo(0), $"the error names what is allowed ('{allowed}'): {message}");
    }

    /// <summary>
    /// <see cref="Names(string, string, string?, string?)"/> on a thrown <see cref="InvalidInputException"/>, and, where the
    /// exception carries them, the structured <see cref="InvalidInputException.Field"/> and <see cref="InvalidInputException.Value"/> agree.
    /// </summary>
    public static void Names(InvalidInputException ex, string field, string? value = null, string? allowed = null)
    {
        Names(ex.Message, field, value, allowed);
        if (ex.Field is { } f) Assert.That(f, Does.Contain(field), "InvalidInputException.Field");
    }

    /// <summary>Runs <paramref name="action"/>, which must throw <see cref="InvalidInputException"/> naming the field, the value and what is allowed.</summary>
    public static InvalidInputException Refuses(Action action, string field, string? value = null, string? allowed = null)
    {
        var ex = Assert.Throws<InvalidInputException>(() => action())!;
        Names(ex, field, value, allowed);
        return ex;
    }
}
