using System.Diagnostics;
using System.Diagnostics.Metrics;
using ActorSsgi.Server;
using Microsoft.Extensions.DependencyInjection;

namespace ActorSsgi.Telemetry;

/// <summary>
/// The <c>ActorSsgi</c> meter and its instruments (names and tags from the OpenTelemetry semantic conventions where
/// they exist; docs/operating.md lists them). Every recording method checks its instrument's <c>Enabled</c> first, so
/// with nothing listening a request pays a few field reads: no tag list, no timestamp, no boxing.
/// </summary>
internal sealed class ActorSsgiMetrics
{
    // The buckets the semantic conventions advise for http.server.request.duration (seconds).
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    // Status codes boxed once: a tag value is an object, and boxing per request would allocate.
    private static readonly object[] StatusCodes = Enumerable.Range(0, 600).Select(static code => (object)code).ToArray();

    private static readonly KeyValuePair<string, object?> HttpProtocol = new("actorssgi.protocol", "http");
    private static readonly KeyValuePair<string, object?> WebSocketProtocol = new("actorssgi.protocol", "websocket");

    // http.request.method values kept as they are (the conventions' known methods); anything else is "_OTHER".
    private static readonly string[] Methods = ["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE", "_OTHER"];
    private static readonly string[] Schemes = ["http", "https"];

    private readonly Histogram<double> _requestDuration;
    private readonly ObservableUpDownCounter<long> _activeRequests;

    // Active requests per (method, scheme), read by the observable instrument: two atomic operations per request
    // instead of two SDK measurements with tag lookups (the first A/B measured the latter at a large share of the cost).
    // Striped by processor: one shared counter per slot made every core's requests bounce one cache line (Kestrel
    // serves connections on every core). A stripe is padded to whole cache lines; a request may leave on another
    // stripe than it came in on, the sum is right. Static readonly, so the tier-1 JIT folds them like constants.
    private static readonly int Slots = Methods.Length * Schemes.Length;
    private static readonly int StripeStride = (Slots + 7) / 8 * 8 + 8;
    private static readonly int StripeMask = (int)Math.Min(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount)) - 1;
    private readonly long[] _active = new long[(StripeMask + 1) * StripeStride];
    private readonly bool[] _activeSeen = new bool[Slots];
    private readonly Counter<long> _sessionsOpened;
    private readonly Counter<long> _messagesReceived;
    private readonly Counter<long> _messagesSent;
    private readonly Counter<long> _bytesReceived;
    private readonly Counter<long> _bytesSent;
    private readonly Counter<long> _backpressureDrops;
    private readonly Counter<long> _backpressureCloses;
    private readonly Counter<long> _crashes;
    private readonly Counter<long> _topicDeliveries;
    private SsgiServer? _server;

    /// <summary>Instruments on a meter from <paramref name="meterFactory"/> (DI's, so each host has its own).</summary>
    public ActorSsgiMetrics(IMeterFactory meterFactory)
        : this(meterFactory.Create(ActorSsgiMeter.Name))
    {
    }

    private ActorSsgiMetrics(Meter meter)
    {
        Meter = meter;
        _requestDuration = meter.CreateHistogram<double>(
            "http.server.request.duration", "s", "Duration of HTTP server requests.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _activeRequests = meter.CreateObservableUpDownCounter("http.server.active_requests", ObserveActiveRequests, "{request}", "Number of active HTTP server requests.");
        meter.CreateObservableUpDownCounter("actorssgi.websocket.sessions.active", () => (long)(_server?.WebSockets?.Count ?? 0), "{session}", "WebSocket sessions open now (accepted, or upgrade still pending).");
        _sessionsOpened = meter.CreateCounter<long>("actorssgi.websocket.sessions.opened", "{session}", "WebSocket sessions accepted.");
        _messagesReceived = meter.CreateCounter<long>("actorssgi.websocket.messages.received", "{message}", "WebSocket messages received from clients.");
        _messagesSent = meter.CreateCounter<long>("actorssgi.websocket.messages.sent", "{message}", "WebSocket messages written to clients.");
        _bytesReceived = meter.CreateCounter<long>("actorssgi.websocket.bytes.received", "By", "Payload bytes of WebSocket messages received.");
        _bytesSent = meter.CreateCounter<long>("actorssgi.websocket.bytes.sent", "By", "Payload bytes of WebSocket messages written.");
        _backpressureDrops = meter.CreateCounter<long>("actorssgi.websocket.backpressure.drops", "{message}", "WebSocket sends dropped because the session's backpressure limit was reached.");
        _backpressureCloses = meter.CreateCounter<long>("actorssgi.websocket.backpressure.closes", "{session}", "WebSocket sessions closed with 1008 at the backpressure limit.");
        _crashes = meter.CreateCounter<long>("actorssgi.handler.crashes", "{crash}", "Handler exceptions handled by a supervisor (HTTP 500 or abort, WebSocket close 1011).");
        meter.CreateObservableUpDownCounter("actorssgi.request_actors.pooled", () => (long)(_server?.Pool?.Idle ?? 0), "{actor}", "Idle request actors waiting in the pool.");
        meter.CreateObservableUpDownCounter("actorssgi.request_actors.in_use", () => _server?.Pool?.InUse ?? 0, "{actor}", "Request actors owning a request now.");
        _topicDeliveries = meter.CreateCounter<long>("actorssgi.topic.deliveries", "{message}", "Topic messages delivered to WebSocket sessions on this node.");
    }

    /// <summary>For servers started without the host's container (a meter of its own, shared by them).</summary>
    public static ActorSsgiMetrics Shared { get; } = new(new Meter(ActorSsgiMeter.Name));

    /// <summary>The meter (tests listen to this instance).</summary>
    public Meter Meter { get; }

    /// <summary>The host's instance when it registered one (AddActorSsgi does), <see cref="Shared"/> otherwise.</summary>
    public static ActorSsgiMetrics From(IServiceProvider services) => services.GetService<ActorSsgiMetrics>() ?? Shared;

    /// <summary>The server whose pool and sessions the observable instruments read.</summary>
    public void Observe(SsgiServer server) => _server = server;

    /// <summary>Kestrel created the request's context (start of http.server.request.duration).</summary>
    public void RequestStarted(SsgiRequestContext context)
    {
        if (_activeRequests.Enabled)
        {
            var request = context.Request;
            var slot = MethodIndex(request.Method) * Schemes.Length + (request.Scheme == "https" ? 1 : 0);
            if (!_activeSeen[slot])
            {
                _activeSeen[slot] = true; // written once, so the flag's cache line stays shared
            }

            var index = (Thread.GetCurrentProcessorId() & StripeMask) * StripeStride + slot;
            Interlocked.Increment(ref _active[index]);
            context.Measurement.ActiveSlot = index + 1;
        }

        if (_requestDuration.Enabled)
        {
            context.Measurement.Start = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Kestrel disposes the request's context: the response is complete (or the request aborted).</summary>
    public void RequestEnded(SsgiRequestContext context)
    {
        ref var measurement = ref context.Measurement;
        if (measurement.ActiveSlot != 0)
        {
            Interlocked.Decrement(ref _active[measurement.ActiveSlot - 1]);
            measurement.ActiveSlot = 0;
        }

        if (measurement.Start != 0)
        {
            var request = context.Request;
            var elapsed = Stopwatch.GetElapsedTime(measurement.Start).TotalSeconds;
            measurement.Start = 0;
            var status = context.Response.StatusCode;
            var tags = new TagList
            {
                { "http.request.method", Methods[MethodIndex(request.Method)] },
                { "http.response.status_code", (uint)status < StatusCodes.Length ? StatusCodes[status] : status },
                { "network.protocol.version", ProtocolVersion(request.Protocol) },
                { "url.scheme", request.Scheme },
            };
            _requestDuration.Record(elapsed, tags);
        }
    }

    /// <summary>A WebSocket upgrade was accepted.</summary>
    public void SessionOpened() => _sessionsOpened.Add(1);

    /// <summary>A whole WebSocket message arrived.</summary>
    public void MessageReceived(int bytes)
    {
        _messagesReceived.Add(1);
        _bytesReceived.Add(bytes);
    }

    /// <summary>A WebSocket message goes to the socket.</summary>
    public void MessageSent(int bytes)
    {
        _messagesSent.Add(1);
        _bytesSent.Add(bytes);
    }

    /// <summary>A send was dropped at the backpressure limit; <paramref name="closing"/>: the session closes with 1008.</summary>
    public void BackpressureDrop(bool closing)
    {
        _backpressureDrops.Add(1);
        if (closing)
        {
            _backpressureCloses.Add(1);
        }
    }

    /// <summary>A supervisor handled a handler exception; <paramref name="webSocket"/>: a session's, else a request's.</summary>
    public void HandlerCrashed(bool webSocket) => _crashes.Add(1, webSocket ? WebSocketProtocol : HttpProtocol);

    /// <summary>A topic message reached a session.</summary>
    public void TopicDelivered() => _topicDeliveries.Add(1);

    // The semantic conventions' rule: known methods as they are, anything else "_OTHER" (unbounded cardinality otherwise).
    private static int MethodIndex(string method) => method switch
    {
        "GET" => 0,
        "POST" => 1,
        "HEAD" => 2,
        "PUT" => 3,
        "DELETE" => 4,
        "OPTIONS" => 5,
        "PATCH" => 6,
        "CONNECT" => 7,
        "TRACE" => 8,
        _ => 9,
    };

    private IEnumerable<Measurement<long>> ObserveActiveRequests()
    {
        for (var slot = 0; slot < Slots; slot++)
        {
            // Only the combinations ever seen: twenty series of zeros would be noise in every scrape.
            if (_activeSeen[slot])
            {
                long active = 0;
                for (var stripe = 0; stripe <= StripeMask; stripe++)
                {
                    active += Volatile.Read(ref _active[stripe * StripeStride + slot]);
                }

                yield return new Measurement<long>(
                    active,
                    new("http.request.method", Methods[slot / Schemes.Length]),
                    new("url.scheme", Schemes[slot % Schemes.Length]));
            }
        }
    }

    private static string ProtocolVersion(string protocol) => protocol switch
    {
        "HTTP/1.1" => "1.1",
        "HTTP/2" => "2",
        "HTTP/1.0" => "1.0",
        "HTTP/3" => "3",
        _ => protocol.StartsWith("HTTP/", StringComparison.Ordinal) ? protocol[5..] : protocol,
    };
}

/// <summary>What <see cref="ActorSsgiMetrics"/> keeps on a request's context between its start and its end.</summary>
internal struct RequestMeasurement
{
    /// <summary>Stopwatch timestamp of the start; 0 when the duration is not measured.</summary>
    public long Start;

    /// <summary>1 + the index of the http.server.active_requests counter this request was counted in; 0 when it was not (so it is decremented once).</summary>
    public int ActiveSlot;
}
