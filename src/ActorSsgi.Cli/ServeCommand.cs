using System.CommandLine;
using System.CommandLine.Help;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.Cli;

/// <summary>What one run of the command was asked to do.</summary>
/// <param name="Target">The application.</param>
/// <param name="Interface">The <c>--interface</c> value, possibly <c>auto</c>.</param>
/// <param name="Urls">Where to listen, <c>;</c>-separated; <c>null</c> to leave it to <c>--ActorSsgi:Urls=</c>.</param>
/// <param name="AppDir">The Python application's directory.</param>
/// <param name="Workers">How many processes serve the port.</param>
/// <param name="LogLevel">The lowest level logged.</param>
/// <param name="Settings">The <c>--ActorSsgi:Key=value</c> settings, as host command-line arguments.</param>
internal sealed record ServeSettings(
    ServeTarget Target,
    string Interface,
    string? Urls,
    string AppDir,
    int Workers,
    LogLevel LogLevel,
    IReadOnlyList<string> Settings);

/// <summary>The command line: <c>actorssgi [options] TARGET</c>, as uvicorn and granian take it.</summary>
internal sealed class ServeCommand
{
    /// <summary>uvicorn's default address.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8000";

    private const string SettingsPrefix = "--ActorSsgi:";

    private static readonly Dictionary<string, LogLevel> LogLevels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["critical"] = LogLevel.Critical,
        ["error"] = LogLevel.Error,
        ["warning"] = LogLevel.Warning,
        ["info"] = LogLevel.Information,
        ["debug"] = LogLevel.Debug,
        ["trace"] = LogLevel.Trace,
    };

    private readonly Argument<string> _target = new("TARGET")
    {
        Description = "module:attribute (Python), or path/to/App.dll:Namespace.Type (a .NET ISsgiFramework)",
    };

    private readonly Option<string> _interface = new("--interface")
    {
        Description = "The interface the application speaks: auto (ssgi for a .dll; for Python only an object with get_supported is found out, others must be named), "
            + string.Join(", ", ServeInterfaces.Table.Select(row => $"{row.Name} ({row.Description})")),
        DefaultValueFactory = _ => ServeInterfaces.Auto,
        HelpName = string.Join("|", ServeInterfaces.Names),
    };

    private readonly Option<string> _urls = new("--urls")
    {
        Description = $"Where to listen, ';'-separated; port 0 picks a free port [default: {DefaultUrls}]",
    };

    private readonly Option<string> _appDir = new("--app-dir")
    {
        Description = "Put this directory first on Python's sys.path (ActorSsgi:Python:AppDir) [default: the current directory]",
    };

    private readonly Option<int> _workers = new("--workers")
    {
        Description = "Processes serving the port together (SO_REUSEPORT, Linux); more than 1 starts a supervisor",
        DefaultValueFactory = _ => 1,
    };

    private readonly Option<string> _logLevel = new("--log-level")
    {
        Description = "The lowest level logged",
        DefaultValueFactory = _ => "info",
        HelpName = string.Join("|", LogLevels.Keys),
    };

    public ServeCommand()
    {
        _interface.AcceptOnlyFromAmong(ServeInterfaces.Names);
        _logLevel.AcceptOnlyFromAmong([.. LogLevels.Keys]);
        _workers.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--workers must be 1 or more.");
            }
        });
        Root = new RootCommand(
            "Serves a Python WSGI/ASGI application or a .NET ISsgiFramework with ActorSsgi. Any other server setting "
            + "passes through as --ActorSsgi:Key=value (for example --ActorSsgi:Limits:MaxRequestBodySize=1000000).")
        {
            _target, _interface, _urls, _appDir, _workers, _logLevel,
        };
    }

    /// <summary>The parser's root.</summary>
    public RootCommand Root { get; }

    /// <summary>
    /// Parses <paramref name="args"/>: <c>null</c> when it asked for help or the version (already written), the
    /// settings otherwise.
    /// </summary>
    /// <exception cref="CliException">A usage error, with exit code 2.</exception>
    public ServeSettings? Read(string[] args)
    {
        // The --ActorSsgi:... settings are taken out before parsing, rather than let through as unmatched tokens: a
        // misspelt option (--worker 2) stays an error instead of silently becoming a setting nobody reads.
        var (settings, rest) = SplitSettings(args);
        var parse = Root.Parse(rest);
        if (parse.Action is HelpAction || parse.Action == Root.Options.OfType<VersionOption>().Single().Action)
        {
            parse.Invoke();
            return null;
        }

        // An unknown option lands in TARGET (System.CommandLine takes any token there), leaving only its value to be
        // reported as unrecognized: name the option instead.
        if (parse.GetValue(_target) is { } taken && taken.StartsWith('-'))
        {
            throw new CliException($"Unknown option '{taken}' (see actorssgi --help).", ExitCodes.Usage);
        }

        if (parse.Errors.Count > 0)
        {
            throw new CliException(string.Join(" ", parse.Errors.Select(error => OneLine(error.Message))) + " (see actorssgi --help)", ExitCodes.Usage);
        }

        var targetText = parse.GetValue(_target)!;
        var target = ServeTarget.Parse(targetText, out var targetError) ?? throw new CliException(targetError!, ExitCodes.Usage);
        var @interface = parse.GetValue(_interface)!;
        if (target is DotnetTarget && @interface != ServeInterfaces.Auto && !ServeInterfaces.Table.Single(row => row.Name == @interface).ForDotnet)
        {
            throw new CliException($"A .NET target is an ISsgiFramework, served through ssgi; --interface {@interface} is for Python targets.", ExitCodes.Usage);
        }

        return new ServeSettings(
            target,
            @interface,
            parse.GetValue(_urls) ?? (settings.Any(s => s.StartsWith(SettingsPrefix + "Urls=", StringComparison.OrdinalIgnoreCase)) ? null : DefaultUrls),
            Path.GetFullPath(parse.GetValue(_appDir) ?? Directory.GetCurrentDirectory()),
            parse.GetValue(_workers),
            LogLevels[parse.GetValue(_logLevel)!],
            settings);
    }

    // System.CommandLine lists the allowed values one per line, tab-indented.
    private static string OneLine(string message) =>
        string.Join(" ", message.Split((char[])['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Takes <c>--ActorSsgi:Key=value</c> and <c>--ActorSsgi:Key value</c> out of <paramref name="args"/>.</summary>
    private static (List<string> Settings, string[] Remaining) SplitSettings(string[] args)
    {
        var settings = new List<string>();
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith(SettingsPrefix, StringComparison.OrdinalIgnoreCase))
            {
                rest.Add(args[i]);
            }
            else if (args[i].Contains('=', StringComparison.Ordinal))
            {
                settings.Add(args[i]);
            }
            else if (i + 1 == args.Length)
            {
                throw new CliException($"{args[i]} needs a value: {args[i]}=VALUE.", ExitCodes.Usage);
            }
            else
            {
                settings.Add(args[i] + "=" + args[++i]);
            }
        }

        return (settings, rest.ToArray());
    }
}
