using System.CommandLine;
using Verify.Simulation.Settings;
using Verify.Verification.Settings;

namespace Verify.Verification.Commands;

/// <summary>
/// Command-line options made from the settings table: one --kebab-case option per key, with the key's
/// meaning, range and default, so that `train`, `bench` (and the names `check` uses) call a quantity the
/// same everywhere. Values stay text until <see cref="RunSettings.Parse"/> parses them, once.
/// </summary>
internal sealed class SettingOptions
{
    private readonly IReadOnlyList<(Setting Key, Option<string> Option)> _options;
    private readonly IReadOnlyDictionary<Setting, string> _defaults;

    /// <param name="defaults">Defaults of this command that differ from the table's (shown in --help, used when the option is absent).</param>
    public SettingOptions(IEnumerable<Setting> keys, IReadOnlyDictionary<Setting, string>? defaults = null)
    {
        _defaults = defaults ?? new Dictionary<Setting, string>();
        _options = keys.Select(k => (k, new Option<string>(k.OptionName)
        {
            Description = _defaults.TryGetValue(k, out var d) ? $"{k.Description}; {k.Allowed} [default: {d}]" : k.Help,
        })).ToList();
    }

    public void AddTo(Command command)
    {
        foreach (var (_, o) in _options) command.Options.Add(o);
    }

    /// <summary>This command's defaults, then the options given on the command line (which override them).</summary>
    public IEnumerable<KeyValuePair<string, string>> Values(ParseResult p)
    {
        foreach (var (key, text) in _defaults) yield return new(key.Name, text);
        foreach (var (key, option) in _options)
            if (p.GetValue(option) is { } v) yield return new(key.Name, v);
    }
}
