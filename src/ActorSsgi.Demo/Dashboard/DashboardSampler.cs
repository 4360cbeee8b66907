using System.Collections.Frozen;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ActorSsgi.Demo.Dashboard;

/// <summary>
/// Reads the server's own instruments (meters <c>ActorSsgi</c> and <c>ActorSsgi.Cluster</c>) with a
/// <see cref="MeterListener"/> and turns them into one <see cref="DashboardSample"/> a second, keeping the last
/// <see cref="Capacity"/> in a ring. The listener is attached only between <see cref="Start"/> and <see cref="Stop"/>
/// (while a dashboard is open, plus a linger): with no listener the instruments cost the server nothing, which is
/// what the benchmarks of the demo measure.
/// </summary>
internal sealed class DashboardSampler : IDisposable
{
    /// <summary>Five minutes at one sample a second.</summary>
    public const int Capacity = 300;

    public const string ServerMeter = "ActorSsgi";
    public const string ClusterMeter = "ActorSsgi.Cluster";

    // The names the server publishes (docs/operating-dashboard.md lists what each one becomes on the page).
    public const string RequestDuration = "http.server.request.duration";
    public const string ActiveRequests = "http.server.active_requests";
    public const string SessionsActive = "actorssgi.websocket.sessions.active";
    public const string SessionsOpened = "actorssgi.websocket.sessions.opened";
    public const string MessagesReceived = "actorssgi.websocket.messages.received";
    public const string MessagesSent = "actorssgi.websocket.messages.sent";
    public const string HandlerCrashes = "actorssgi.handler.crashes";
    public const string RequestActorsPooled = "actorssgi.request_actors.pooled";
    public const string RequestActorsInUse = "actorssgi.request_actors.in_use";
    public const string TopicDeliveries = "actorssgi.topic.deliveries";
    public const string MembersUp = "actorssgi.cluster.members.up";
    public const string MembersUnreachable = "actorssgi.cluster.members.unreachable";
    public const string RemoteDeliveries = "actorssgi.cluster.deliveries.remote";

    private static readonly string[] Names =
    [
        RequestDuration, ActiveRequests, SessionsActive, SessionsOpened, MessagesReceived, MessagesSent, HandlerCrashes,
        RequestActorsPooled, RequestActorsInUse, TopicDeliveries, MembersUp, MembersUnreachable, RemoteDeliveries,
    ];

    // Fixed at construction, so a measurement finds its accumulator without a lock.
    private readonly FrozenDictionary<string, Accumulator> _accumulators = Names.ToFrozenDictionary(n => n, _ => new Accumulator(), StringComparer.Ordinal);
    private readonly object? _meterScope;
    private readonly DashboardSample[] _ring = new DashboardSample[Capacity];
    private readonly Lock _lock = new();
    private MeterListener? _listener;
    private int _count;
    private int _next;
    private long _lastTick;

    /// <param name="meterScope">
    /// The host's <see cref="IMeterFactory"/>, when it has one: meters it created carry it as their scope, so a
    /// process running several servers (the tests) samples only its own. Unscoped meters are always taken.
    /// </param>
    public DashboardSampler(object? meterScope) => _meterScope = meterScope;

    /// <summary>Instrument names seen since the listener was attached (the page says when the server publishes none).</summary>
    public IReadOnlyList<string> Seen => Names.Where(n => _accumulators[n].Published).ToArray();

    public bool Listening => Volatile.Read(ref _listener) is not null;

    /// <summary>Attaches the listener; the ring starts empty (counters only count from now on).</summary>
    public void Start()
    {
        lock (_lock)
        {
            if (_listener is not null)
            {
                return;
            }

            foreach (var accumulator in _accumulators.Values)
            {
                accumulator.Reset();
            }

            _count = _next = 0;
            _lastTick = Stopwatch.GetTimestamp();
            var listener = new MeterListener
            {
                InstrumentPublished = (instrument, l) =>
                {
                    if (instrument.Meter.Name is ServerMeter or ClusterMeter
                        && (instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, _meterScope))
                        && _accumulators.TryGetValue(instrument.Name, out var accumulator))
                    {
                        accumulator.Published = true;
                        accumulator.Kind = KindOf(instrument);
                        l.EnableMeasurementEvents(instrument, accumulator);
                    }
                },
            };
            listener.SetMeasurementEventCallback<long>(static (_, value, _, state) => ((Accumulator)state!).Record(value));
            listener.SetMeasurementEventCallback<int>(static (_, value, _, state) => ((Accumulator)state!).Record(value));
            listener.SetMeasurementEventCallback<double>(static (_, value, _, state) => ((Accumulator)state!).Record(value));
            listener.Start();
            _listener = listener;
        }
    }

    public void Stop()
    {
        lock (_lock)
        {
            _listener?.Dispose();
            _listener = null;
        }
    }

    /// <summary>Closes the current second: appends its sample to the ring and returns it.</summary>
    public DashboardSample Tick()
    {
        lock (_lock)
        {
            // Observable instruments report when asked; the others have been adding up since the last tick.
            _listener?.RecordObservableInstruments();
            var now = Stopwatch.GetTimestamp();
            var seconds = Math.Max(Stopwatch.GetElapsedTime(_lastTick, now).TotalSeconds, 0.001);
            _lastTick = now;
            var sample = new DashboardSample(
                DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                RequestsPerSecond: Rate(RequestDuration, seconds),
                ActiveRequests: Level(ActiveRequests),
                WebSocketSessions: Level(SessionsActive),
                SessionsOpenedPerSecond: Rate(SessionsOpened, seconds),
                MessagesReceivedPerSecond: Rate(MessagesReceived, seconds),
                MessagesSentPerSecond: Rate(MessagesSent, seconds),
                HandlerCrashes: _accumulators[HandlerCrashes].Total,
                RequestActorsPooled: Level(RequestActorsPooled),
                RequestActorsInUse: Level(RequestActorsInUse),
                TopicDeliveriesPerSecond: Rate(TopicDeliveries, seconds),
                MembersUp: Level(MembersUp),
                MembersUnreachable: Level(MembersUnreachable),
                RemoteDeliveriesPerSecond: Rate(RemoteDeliveries, seconds));
            _ring[_next] = sample;
            _next = (_next + 1) % Capacity;
            _count = Math.Min(_count + 1, Capacity);
            return sample;
        }
    }

    /// <summary>The ring, oldest first.</summary>
    public DashboardSample[] Series()
    {
        lock (_lock)
        {
            var series = new DashboardSample[_count];
            for (var i = 0; i < _count; i++)
            {
                series[i] = _ring[(_next - _count + i + Capacity) % Capacity];
            }

            return series;
        }
    }

    public void Dispose() => Stop();

    private double Rate(string name, double seconds) => Math.Round(_accumulators[name].TakeSinceLast() / seconds, 1);

    // An up-down counter's level is the sum of its deltas since Start; a session or request already open then and
    // ended since would take it below zero, so it is shown as zero rather than as a negative count.
    private long Level(string name) => Math.Max(0, _accumulators[name].Current);

    private static InstrumentKind KindOf(Instrument instrument)
    {
        var type = instrument.GetType();
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        return definition == typeof(Histogram<>) ? InstrumentKind.Histogram
            : definition == typeof(ObservableCounter<>) ? InstrumentKind.ObservedTotal
            // A gauge, observable or not, reports the level itself rather than a change to it.
            : instrument.IsObservable || definition == typeof(Gauge<>) ? InstrumentKind.Absolute
            : InstrumentKind.Delta;
    }

    private enum InstrumentKind
    {
        Delta,
        Histogram,
        ObservedTotal,
        Absolute,
    }

    /// <summary>One instrument's running figures, updated from any thread the server records on.</summary>
    private sealed class Accumulator
    {
        private long _total;
        private long _taken;
        private bool _primed;

        public volatile bool Published;
        public InstrumentKind Kind;

        /// <summary>Histogram: measurements so far; counter: sum of increments; observable: the last value reported.</summary>
        public long Total => Interlocked.Read(ref _total);

        public long Current => Total;

        public void Record(double value)
        {
            switch (Kind)
            {
                case InstrumentKind.Histogram:
                    // requests/s counts measurements (one per request), not their durations.
                    Interlocked.Increment(ref _total);
                    break;
                case InstrumentKind.ObservedTotal or InstrumentKind.Absolute:
                    Interlocked.Exchange(ref _total, (long)value);
                    break;
                default:
                    Interlocked.Add(ref _total, (long)value);
                    break;
            }
        }

        /// <summary>How much the total grew since the last call.</summary>
        public long TakeSinceLast()
        {
            var total = Total;
            if (Kind == InstrumentKind.ObservedTotal && !_primed)
            {
                // An observable counter reports the total since the server started: the first one is a baseline, not a burst.
                _primed = true;
                _taken = total;
                return 0;
            }

            var grown = total - _taken;
            _taken = total;
            return Math.Max(0, grown);
        }

        public void Reset()
        {
            Interlocked.Exchange(ref _total, 0);
            _taken = 0;
            _primed = false;
            Published = false;
        }
    }
}

/// <summary>One second of the server as the dashboard charts it.</summary>
internal sealed record DashboardSample(
    long Time,
    double RequestsPerSecond,
    long ActiveRequests,
    long WebSocketSessions,
    double SessionsOpenedPerSecond,
    double MessagesReceivedPerSecond,
    double MessagesSentPerSecond,
    long HandlerCrashes,
    long RequestActorsPooled,
    long RequestActorsInUse,
    double TopicDeliveriesPerSecond,
    long MembersUp,
    long MembersUnreachable,
    double RemoteDeliveriesPerSecond);
