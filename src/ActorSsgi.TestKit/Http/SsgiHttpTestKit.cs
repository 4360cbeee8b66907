using ActorSsgi.Http;
using ActorSsgi.Server;
using ActorSsgi.TestKit.Http.Transport;
using ActorSsgi.TestKit.Logging;
using Akka.Actor;
using Microsoft.AspNetCore.Http.Features;

namespace ActorSsgi.TestKit.Http;

/// <summary>
/// Drives an application's SSGI HTTP handler inside a test's actor system, without sockets. Requests go through
/// exactly the path Kestrel uses (the server's <c>IHttpApplication</c>, its pool of request actors under their
/// supervisor, the inline dispatcher, the response state machine); only the connection is synthetic: a
/// <see cref="SyntheticRequest"/> on the client side and a <see cref="SyntheticResponse"/> that records what
/// came back. Works with any Akka.TestKit (pass its <c>Sys</c>, or use
/// <see cref="SsgiTestKitExtensions.CreateSsgiHttpTestKitAsync(Akka.TestKit.TestKitBase, ISsgiFramework, SsgiHttpTestKitOptions?)"/>).
/// </summary>
/// <example>
/// <code>
/// var kit = await SsgiHttpTestKit.CreateAsync(Sys, new MyFramework());
/// var response = await kit.GetAsync("/hello?name=ada");
/// Assert.Equal(200, response.StatusCode);
/// Assert.Equal("hello ada", response.BodyText);
/// </code>
/// </example>
public sealed partial class SsgiHttpTestKit : IDisposable
{
    private readonly SsgiHttpApplication _application;
    private readonly RequestActorPool _pool;
    private readonly SsgiHttpTestKitOptions _options;
    private readonly RecordingLoggerFactory _log;
    private int _disposed;

    private SsgiHttpTestKit(ActorSystem system, SsgiGateway gateway, RequestActorPool pool, IActorRef supervisor, SsgiHttpTestKitOptions options, RecordingLoggerFactory log)
    {
        System = system;
        Gateway = gateway;
        _pool = pool;
        Supervisor = supervisor;
        _options = options;
        _log = log;
        _application = new SsgiHttpApplication(pool, webSockets: null);
    }

    /// <summary>The actor system the request actors live in.</summary>
    public ActorSystem System { get; }

    /// <summary>What the framework chose at negotiation.</summary>
    public SsgiGateway Gateway { get; }

    /// <summary>The parent of this kit's request actors (the server's request supervisor).</summary>
    public IActorRef Supervisor { get; }

    /// <summary>How many request actors the pool ever spawned (reuse keeps this low).</summary>
    public long SpawnedActors => _pool.Spawned;

    /// <summary>How many request actors wait idle in the pool.</summary>
    public int IdleActors => _pool.Idle;

    /// <summary>How long waits last when a call gives no timeout.</summary>
    public TimeSpan Timeout => _options.Timeout;

    /// <summary>Everything the server logged so far (supervisor decisions, handlers that did not respond, ...).</summary>
    public IReadOnlyList<SsgiLogEntry> Log => _log.Entries;

    /// <summary>
    /// Negotiates with <paramref name="framework"/> (its <c>GetSupported</c> runs here, as at server start) and
    /// starts the request supervisor and actor pool in <paramref name="system"/>.
    /// </summary>
    /// <param name="system">The test's actor system. ActorSsgi's request dispatcher is added when it lacks one.</param>
    /// <param name="framework">The application under test.</param>
    /// <param name="options">Settings; defaults when <c>null</c>.</param>
    /// <returns>The kit.</returns>
    /// <exception cref="InvalidOperationException">The framework chose an interface the server does not offer.</exception>
    public static async Task<SsgiHttpTestKit> CreateAsync(ActorSystem system, ISsgiFramework framework, SsgiHttpTestKitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(framework);
        options ??= new SsgiHttpTestKitOptions();
        var log = new RecordingLoggerFactory(system, options.LoggerFactory);
        var gateway = SsgiGateway.Negotiate(framework, options.Interfaces, log.CreateLogger("ActorSsgi.Server"));
        RequestDispatcher.EnsureRegistered(system, options.Server);
        // One shared pool, no per-thread keeping: a test's requests resume on any thread, and specs about reset and
        // restart expect the next request to meet the actor that served the last one.
        var pool = await SsgiServer.CreatePoolAsync(system, gateway, options.Server, log, keepPerThread: false).ConfigureAwait(false);

        // The pool hides its supervisor: find it as the parent of a first actor, which then waits in the pool.
        var first = pool.Rent();
        var supervisor = ((ActorRefWithCell)first).Underlying.Parent;
        pool.Return(first);
        return new SsgiHttpTestKit(system, gateway, pool, supervisor, options, log);
    }

    /// <summary>A kit serving HTTP with one bare handler (no WebSockets).</summary>
    /// <param name="system">The test's actor system.</param>
    /// <param name="handler">The SSGI entry under test.</param>
    /// <param name="options">Settings; defaults when <c>null</c>.</param>
    /// <returns>The kit.</returns>
    public static Task<SsgiHttpTestKit> CreateAsync(ActorSystem system, SsgiHandler<ISsgiHttpResponse> handler, SsgiHttpTestKitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return CreateAsync(system, new HttpHandlerFramework(handler), options);
    }

    /// <summary>
    /// Hands <paramref name="request"/> to the server as Kestrel would, and returns at once with the response
    /// being recorded. With the inline dispatcher an idle request actor runs the handler on this thread, so a
    /// synchronous handler has finished by the time this returns.
    /// </summary>
    /// <param name="request">The request; each is sent once.</param>
    /// <returns>The client's view of the response.</returns>
    /// <exception cref="InvalidOperationException">The request was already sent.</exception>
    public SyntheticResponse Send(SyntheticRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var connection = new SyntheticConnection(request, _options.Server, _options.DetectCallsOutsideActor);
        var response = new SyntheticResponse(connection, _options.Timeout);
        request.Attach(connection);

        var context = _application.CreateContext(connection.Features);
        connection.Guard.Context = context;
        Task task;
        try
        {
            task = _application.ProcessRequestAsync(context);
        }
        catch (Exception ex)
        {
            task = Task.FromException(ex);
        }

        response.Track(context.Owner, task, EndAsync(task, context, connection));
        return response;
    }

    /// <summary><see cref="Send"/>, then waits until the response is complete.</summary>
    /// <param name="request">The request.</param>
    /// <param name="timeout">The longest wait; <see cref="Timeout"/> when <c>null</c>.</param>
    /// <returns>The completed response.</returns>
    /// <exception cref="TimeoutException">The response did not complete in time.</exception>
    public Task<SyntheticResponse> SendAsync(SyntheticRequest request, TimeSpan? timeout = null) => Send(request).WaitAsync(timeout);

    /// <summary>Sends <c>GET <paramref name="target"/></c> and waits until the response is complete.</summary>
    /// <param name="target">The request target, <c>/path?query</c>.</param>
    /// <param name="timeout">The longest wait; <see cref="Timeout"/> when <c>null</c>.</param>
    /// <returns>The completed response.</returns>
    public Task<SyntheticResponse> GetAsync(string target, TimeSpan? timeout = null) => SendAsync(SyntheticRequest.Get(target), timeout);

    /// <summary>
    /// Runs one request over a feature collection the caller built, through exactly Kestrel's calls
    /// (<c>CreateContext</c>, <c>ProcessRequestAsync</c>, <c>DisposeContext</c>) and nothing else: for custom
    /// transports, or for measuring the server alone. A collection implementing
    /// <c>IHostContextContainer</c> gets its context reused, as Kestrel's connections do.
    /// </summary>
    /// <param name="features">The request's features (at least <c>IHttpRequestFeature</c>, <c>IHttpResponseFeature</c> and <c>IHttpResponseBodyFeature</c>).</param>
    /// <returns>The server's task; already completed (and nothing allocated for it) when the request completed inline.</returns>
    public Task ProcessRequestAsync(IFeatureCollection features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var context = _application.CreateContext(features);
        Task task;
        try
        {
            task = _application.ProcessRequestAsync(context);
        }
        catch (Exception ex)
        {
            _application.DisposeContext(context, ex);
            throw;
        }

        if (task.IsCompleted)
        {
            _application.DisposeContext(context, task.Exception);
            return task;
        }

        return DisposeAfterAsync(task, context);
    }

    /// <summary>Stops the request supervisor and with it every request actor of this kit.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            System.Stop(Supervisor);
        }
    }

    private async Task DisposeAfterAsync(Task task, SsgiRequestContext context)
    {
        Exception? error = null;
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            error = ex;
            throw;
        }
        finally
        {
            _application.DisposeContext(context, error);
        }
    }

    private async Task EndAsync(Task task, SsgiRequestContext context, SyntheticConnection connection)
    {
        Exception? error = null;
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Kestrel logs it and answers 500 when it still can.
            error = ex;
            connection.Recorder.Violation($"The server's task for the request failed: {ex.GetType().Name}: {ex.Message}");
        }

        _application.DisposeContext(context, error);
        await connection.EndAsync().ConfigureAwait(false);
    }
}
