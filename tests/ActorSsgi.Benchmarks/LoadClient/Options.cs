using System.Globalization;

namespace LoadClient;

internal sealed class OptionException(string message) : Exception(message);

/// <summary>"mode --name value --name value ..." — deliberately tiny; the harness is the only caller.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public string Mode { get; private init; } = "";

    public static Options Parse(string[] args)
    {
        var options = new Options { Mode = args.Length > 0 ? args[0] : "" };
        for (var i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new OptionException($"expected '--name value', got '{args[i]}'");
            }
            options._values[args[i][2..]] = args[++i];
        }
        return options;
    }

    public string GetString(string name) =>
        _values.TryGetValue(name, out var value) ? value : throw new OptionException($"--{name} is required");

    public string? GetOptionalString(string name) => _values.GetValueOrDefault(name);

    public long GetLong(string name, long fallback) =>
        _values.TryGetValue(name, out var value) ? long.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public int GetInt(string name, int fallback) => checked((int)GetLong(name, fallback));

    public double GetDouble(string name, double fallback) =>
        _values.TryGetValue(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
