namespace Verify.Simulation;

/// <summary>A run setting outside what the simulator accepts; the message names field, value and allowed range.</summary>
public sealed class SimulationSettingException(string field, string value, string allowed)
    : ArgumentException($"{field} = {value} is not allowed: must be {allowed}")
{
    public string Field { get; } = field;
    public string Value { get; } = value;
    public string Allowed { get; } = allowed;
}
