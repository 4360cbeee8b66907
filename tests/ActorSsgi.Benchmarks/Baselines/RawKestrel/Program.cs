// Raw Kestrel baseline: KestrelServer + a hand-written IHttpApplication, nothing else.
// It is the "ceiling" the other servers are compared against, so it carries no handicaps:
// no logging, no DI container, no middleware pipeline.
using System.Net;
using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RawKestrel;

var endpoint = ParseUrls(args);
var loggerFactory = NullLoggerFactory.Instance;

var kestrelOptions = new KestrelServerOptions();
kestrelOptions.Limits.MaxRequestBodySize = null; // the /stream scenario posts 1 GiB
kestrelOptions.Listen(endpoint);
ExtraListeners.Configure(kestrelOptions, args); // --h2c / --https, for the HTTP/2 scenarios only

using var server = new KestrelServer(
    Options.Create(kestrelOptions),
    new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggerFactory),
    loggerFactory);

using var shutdown = new CancellationTokenSource();
var stopRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
void OnSignal(PosixSignalContext context)
{
    context.Cancel = true; // we stop Kestrel ourselves, then return from Main
    stopRequested.TrySetResult();
}
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

await server.StartAsync(new RawApplication(shutdown.Token), CancellationToken.None);
// One line for the harness log, so a run records which GC flavour was measured.
Console.WriteLine($"RawKestrel listening on http://{endpoint} (serverGC={GCSettings.IsServerGC}, latency={GCSettings.LatencyMode})");

await stopRequested.Task;
shutdown.Cancel(); // ends WebSocket sessions, which otherwise keep StopAsync waiting
using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
await server.StopAsync(stopTimeout.Token);
return 0;

// Accepts "--urls http://127.0.0.1:PORT" (one URL, IP literal); that is all the harness passes.
static IPEndPoint ParseUrls(string[] args)
{
    var index = Array.IndexOf(args, "--urls");
    var url = index >= 0 && index + 1 < args.Length ? args[index + 1] : "http://127.0.0.1:5000";
    var uri = new Uri(url.Split(';')[0]);
    if (uri.Scheme != "http")
    {
        throw new ArgumentException($"only http:// is supported, got {url}");
    }
    return new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port);
}
