using System.CommandLine;
using Verify.Verification.Settings;

namespace Verify.Verification.Commands;

/// <summary>
/// Command-line options made from the settings table: one --kebab-case option per key, with the key's
/// meaning, range and default, so that `train`, `bench` (and the names `check` uses) call a quantity the
/// same everywhere. Values stay text until <see cref="RunSettings.Parse"/> parses them, once.
/// </summary>
internal sealed class SettingOptions
{
    private readonly IReadOnlyList<(SettingKey Key, Option<string> Option)> _options;
    private readonly IReadOnlyDictionary<string, string> _defaults;

    /// <param name="defaults">Defaults of this command that differ from the table's (shown in --help, used when the option is absent).</param>
    public SettingOptions(IEnumerable<SettingKey> keys, IReadOnlyDictionary<string, string>? defaults = null)
    {
        _defaults = defaults ?? new Dictionary<string, string>();
        _options = keys.Select(k => (k, new Option<string>(k.OptionName)
        {
            Description = _defaults.TryGetValue(k.Name, out var d) ? $"{k.Description}; {k.Allowed} [default: {d}]" : k.Help,
        })).ToList();
    }

    public void AddTo(Command command)
    {
        foreach (var (_, o) in _options) command.Options.Add(o);
    }

    /// <summary>This command's defaults, then the options given on the command line (which override them).</summary>
    public IEnumerable<KeyValuePair<string, string>> Values(ParseResult p)
    {
        foreach (var d in _defaults) yield return d;
        foreach (var (key, option) in _options)
            if (p.GetValue(option) is { } v) yield return new(key.Name, v);
    }
}
