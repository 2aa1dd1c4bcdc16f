namespace Verify.Bounds;

/// <summary>
/// A value outside what the theory admits. The message names the field, the value and the allowed
/// range, so a command line can print it as one line.
/// </summary>
public sealed class InvalidFieldException(string field, string value, string allowed)
    : ArgumentException($"{field} = {value} is not allowed: {allowed}")
{
    public string Field { get; } = field;
    public string Value { get; } = value;
    public string Allowed { get; } = allowed;
}
