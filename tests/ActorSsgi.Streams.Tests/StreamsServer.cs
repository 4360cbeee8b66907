using ActorSsgi.Hosting;
using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorSsgi.Streams.Tests;

/// <summary>
/// A real ActorSsgi server on http://127.0.0.1:0 whose handlers use ActorSsgi.Streams:
/// POST /upload counts the body through RequestBody(); GET /stream?n=N sends N 1 KiB chunks through SendBody;
/// GET /fail fails its source before any element; WebSocket /echo is served by an echo Flow, /news by the topic
/// source of "news" (what the client sends is ignored), and /publish publishes every message it receives to "news".
/// </summary>
public sealed class StreamsServer : IAsyncLifetime, ISsgiFramework
{
    private IHost? _host;
    private readonly ActorSystem _streams = ActorSystem.Create("streams-spec");

    private long _bigPulled;

    /// <summary>Bytes the /big source has emitted into SendBody so far.</summary>
    public long BigPulled => Interlocked.Read(ref _bigPulled);

    public IMaterializer Materializer => _streams.Materializer();

    public Uri BaseAddress { get; private set; } = null!;

    public SsgiSupported GetSupported(IReadOnlyDictionary<string, string> supportedInterfaces) => new(
        SsgiInterfaces.Bind<ISsgiHttpResponse>(Http),
        SsgiInterfaces.Bind<ISsgiWebSocket>(WebSocket));

    private async ValueTask Http(SsgiType type, string server, string remote, string method, string path, string query, ISsgiHeaders headers, ISsgiHttpResponse res)
    {
        switch (path)
        {
            case "/upload":
                var total = await res.RequestBody().RunAggregate(0L, static (sum, chunk) => sum + chunk.Count, Materializer);
                res.Send(total.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            case "/stream":
                var n = int.Parse(query.Split('=')[1], System.Globalization.CultureInfo.InvariantCulture);
                var chunk = ByteString.FromBytes(Enumerable.Repeat((byte)'x', 1024).ToArray());
                await res.SendBody(Source.Repeat(chunk).Take(n), Materializer, totalSize: n * 1024L);
                break;
            case "/big":
                // Could produce 1 GiB; counts the bytes SendBody actually pulled.
                Interlocked.Exchange(ref _bigPulled, 0);
                var big = ByteString.FromBytes(new byte[64 * 1024]);
                await res.SendBody(
                    Source.Repeat(big).Take(16 * 1024).Select(c =>
                    {
                        Interlocked.Add(ref _bigPulled, c.Count);
                        return c;
                    }),
                    Materializer,
                    totalSize: 1L << 30);
                break;
            case "/fail":
                await res.SendBody(Source.Failed<ByteString>(new InvalidOperationException("source failed")), Materializer);
                break;
            default:
                res.SendStatus(404);
                res.Send();
                break;
        }
    }

    private async ValueTask WebSocket(SsgiType type, string server, string remote, string method, string path, string query, ISsgiHeaders headers, ISsgiWebSocket ws)
    {
        if (path == "/publish")
        {
            var topics = ws.Topics()!;
            ws.OnReceive((_, message) => topics.Publish("news", message));
            await ws.Accept();
            return;
        }

        // Registered before Accept: a message arriving while the continuation after `await Accept()` is still queued
        // would find no on_receive handler.
        var flow = path == "/news"
            ? Flow.FromSinkAndSource(Sink.Ignore<SsgiMessage>().MapMaterializedValue(static _ => NotUsed.Instance), ws.TopicFeed()!.TopicSource("news"))
            : Flow.Create<SsgiMessage>();
        ws.HandleWith(flow, Materializer);
        await ws.Accept();
    }

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = ["--Logging:LogLevel:Default=Warning", "--urls", "http://127.0.0.1:0"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.AddActorSsgi(builder.Configuration, this);
        _host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StartAsync(timeout.Token);
        var bound = await _host.Services.GetRequiredService<SsgiServerAddresses>().Bound.WaitAsync(timeout.Token);
        BaseAddress = new Uri(bound[0]);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        await _streams.Terminate();
    }
}
