using Akka.Actor;
using Akka.Event;
using Microsoft.Extensions.Logging;
using AkkaLogLevel = Akka.Event.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace ActorSsgi.TestKit.Logging;

/// <summary>
/// The logger factory a kit gives the server: keeps every entry for assertions and passes it on, to the given
/// factory or else to the actor system's log.
/// </summary>
internal sealed class RecordingLoggerFactory(ActorSystem system, ILoggerFactory? next) : ILoggerFactory
{
    private readonly object _gate = new();
    private readonly List<Http.SsgiLogEntry> _entries = [];

    public IReadOnlyList<Http.SsgiLogEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) =>
        new RecordingLogger(this, categoryName, next?.CreateLogger(categoryName), next is null ? Logging(system, categoryName) : null);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("Pass a LoggerFactory in the kit's options instead.");

    public void Dispose()
    {
    }

    private static ILoggingAdapter Logging(ActorSystem system, string category) => Akka.Event.Logging.GetLogger(system, category);

    private void Add(Http.SsgiLogEntry entry)
    {
        lock (_gate)
        {
            _entries.Add(entry);
        }
    }

    private sealed class RecordingLogger(RecordingLoggerFactory owner, string category, ILogger? next, ILoggingAdapter? akka) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => next?.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            owner.Add(new Http.SsgiLogEntry(logLevel, category, message, exception));
            next?.Log(logLevel, eventId, state, exception, formatter);
            akka?.Log(ToAkka(logLevel), exception, "{0}", message);
        }

        private static AkkaLogLevel ToAkka(LogLevel level) => level switch
        {
            LogLevel.Trace or LogLevel.Debug => AkkaLogLevel.DebugLevel,
            LogLevel.Information => AkkaLogLevel.InfoLevel,
            LogLevel.Warning => AkkaLogLevel.WarningLevel,
            _ => AkkaLogLevel.ErrorLevel,
        };
    }
}
