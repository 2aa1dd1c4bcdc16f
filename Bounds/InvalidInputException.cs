namespace Verify;

/// <summary>
/// Input outside what is allowed: a setting, an option, a config value or a file. One type for all
/// three libraries (Bounds, where it lives because it depends on nothing; Simulation; the CLI), so
/// that the command line turns every one of them into one line and exit code 2. The message names
/// the field, the value and what is allowed (or the file, what was expected and what was found).
/// </summary>
public sealed class InvalidInputException : ArgumentException
{
    public InvalidInputException(string message) : base(message) { }

    /// <summary>"{field} = {value} is not allowed: {allowed}".</summary>
    public InvalidInputException(string field, string value, string allowed) : base($"{field} = {value} is not allowed: {allowed}")
    {
        Field = field;
        Value = value;
        Allowed = allowed;
    }

    private InvalidInputException(string message, string field, string? value, string? allowed) : base(message)
    {
        Field = field;
        Value = value;
        Allowed = allowed;
    }

    /// <summary>The setting, option or file at fault, when there is one.</summary>
    public string? Field { get; }
    public string? Value { get; }
    public string? Allowed { get; }

    /// <summary>
    /// "{field} = {value} is not allowed: must be {allowed}" ("… = {value} in {where} is not …" when the value came from
    /// somewhere to name): the one wording of a refused value, whatever refuses it.
    /// </summary>
    public static InvalidInputException MustBe(string field, string value, string allowed, string? where = null)
        => where is null ? new(field, value, "must be " + allowed) : new($"{field} = {value} in {where} is not allowed: must be {allowed}", field, value, "must be " + allowed);

    /// <summary>A file that cannot be used as it is: "{file}: expected {expected}, found {found}".</summary>
    public static InvalidInputException InFile(string file, string expected, string found) => new($"{file}: expected {expected}, found {found}", file, found, expected);
}
