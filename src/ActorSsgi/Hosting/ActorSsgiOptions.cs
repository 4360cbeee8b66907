namespace ActorSsgi.Hosting;

/// <summary>
/// Server settings, bound from the <c>ActorSsgi</c> configuration section (appsettings, command line, environment).
/// </summary>
public sealed class ActorSsgiOptions
{
    /// <summary>The configuration section name: <c>ActorSsgi</c>.</summary>
    public const string SectionName = "ActorSsgi";

    /// <summary>
    /// Plain endpoints, separated by <c>;</c>, such as <c>http://127.0.0.1:8080</c>. The host's <c>--urls</c> (or
    /// <c>urls</c> key) overrides this when given.
    /// </summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>Named endpoints with their own protocols and TLS certificate, in addition to <see cref="Urls"/>.</summary>
    public Dictionary<string, SsgiEndpointOptions> Endpoints { get; set; } = new();

    /// <summary>The TLS certificate for <c>https</c> URLs in <see cref="Urls"/> and endpoints without their own.</summary>
    public SsgiCertificateOptions? Certificate { get; set; }

    /// <summary>Path of the HOCON file with the actor-system defaults. Default <c>akka.hocon</c> next to the app.</summary>
    public string AkkaHocon { get; set; } = "akka.hocon";

    /// <summary>Request limits.</summary>
    public SsgiLimitsOptions Limits { get; set; } = new();

    /// <summary>WebSocket settings.</summary>
    public SsgiWebSocketOptions WebSockets { get; set; } = new();

    /// <summary>How long in-flight requests may run on shutdown before they are aborted. Default 10 s.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Value of the <c>Server</c> header; empty to send none. Default <c>ActorSsgi</c>.</summary>
    public string ServerHeader { get; set; } = "ActorSsgi";

    /// <summary>How many idle request actors are kept for reuse. Default 1024.</summary>
    public int RequestActorPoolSize { get; set; } = 1024;

    /// <summary>
    /// Sets <c>SO_REUSEPORT</c> on every listen socket before it is bound, so several processes can listen on one port
    /// and the kernel spreads new connections over them (the <c>actorssgi --workers N</c> supervisor sets it on its
    /// workers). Linux only; it sets Kestrel's <c>SocketTransportOptions.CreateBoundListenSocket</c>, so a host that
    /// brings another transport is not affected. Default false.
    /// </summary>
    public bool ReusePort { get; set; }

    /// <summary>File responses (the <c>http.response.file</c> extension): where files may come from.</summary>
    public SsgiFilesOptions Files { get; set; } = new();

    /// <summary>How handler crashes are logged: at most so many stack traces per route per minute (see <see cref="SsgiCrashLogOptions"/>).</summary>
    public SsgiCrashLogOptions CrashLog { get; set; } = new();

    /// <summary>The access log (<c>ActorSsgi:AccessLog</c>), off by default.</summary>
    public SsgiAccessLogOptions AccessLog { get; set; } = new();

    /// <summary>Liveness and readiness probes (<c>ActorSsgi:Health</c>), off by default.</summary>
    public SsgiHealthOptions Health { get; set; } = new();
}

/// <summary>
/// Settings of the <c>http.response.file</c> extension (<see cref="ISsgiFileResponse"/>), bound from
/// <c>ActorSsgi:Files</c>.
/// </summary>
public sealed class SsgiFilesOptions
{
    /// <summary>
    /// The allowed root: every path given to <c>ServeFile</c> / <c>SendFile</c> is resolved against it, and one that
    /// resolves outside it (through <c>..</c>, an absolute path or a symbolic link) is refused with 403. A relative
    /// root is taken from the host's content root. Default empty: the content root itself (the current directory
    /// when there is no host).
    /// </summary>
    public string Root { get; set; } = "";

    /// <summary>
    /// Ranges up to this many bytes are read in the request's actor straight into the connection's buffer and leave
    /// with the headers in one write, instead of through Kestrel's asynchronous <c>SendFileAsync</c> (which costs
    /// thread hops that dominate a small file). A cold disk then blocks that actor's thread for one read. Default
    /// 64 KiB; <c>0</c> sends every file through <c>SendFileAsync</c>.
    /// </summary>
    public int InlineReadLimit { get; set; } = 64 * 1024;

    /// <summary>The <c>Content-Type</c> of a file whose extension is not known. Default <c>application/octet-stream</c>.</summary>
    public string DefaultContentType { get; set; } = "application/octet-stream";
}

/// <summary>One named endpoint.</summary>
public sealed class SsgiEndpointOptions
{
    /// <summary><c>http://ip:port</c> or <c>https://ip:port</c>.</summary>
    public string Url { get; set; } = "";

    /// <summary><c>Http1</c>, <c>Http2</c> (h2c when plain) or <c>Http1AndHttp2</c> (ALPN over TLS). Default <c>Http1AndHttp2</c>.</summary>
    public string Protocols { get; set; } = "Http1AndHttp2";

    /// <summary>The TLS certificate, required for <c>https</c>.</summary>
    public SsgiCertificateOptions? Certificate { get; set; }
}

/// <summary>A certificate file (PFX/PKCS#12, or PEM with a key file).</summary>
public sealed class SsgiCertificateOptions
{
    /// <summary>Path of the certificate file.</summary>
    public string Path { get; set; } = "";

    /// <summary>Password of a PFX file, if any.</summary>
    public string? Password { get; set; }

    /// <summary>Path of a PEM private key, when <see cref="Path"/> is a PEM certificate.</summary>
    public string? KeyPath { get; set; }
}

/// <summary>Request limits; Kestrel enforces them with their standard status codes.</summary>
public sealed class SsgiLimitsOptions
{
    /// <summary>Largest request body in bytes (413 beyond). Default 30,000,000; <c>null</c> for no limit.</summary>
    public long? MaxRequestBodySize { get; set; } = 30_000_000;

    /// <summary>Largest total size of request headers in bytes (431 beyond). Default 32 KiB.</summary>
    public int MaxRequestHeadersTotalSize { get; set; } = 32 * 1024;

    /// <summary>Most request headers (431 beyond). Default 100.</summary>
    public int MaxRequestHeaderCount { get; set; } = 100;

    /// <summary>Time a client has to send all request headers (408 beyond). Default 30 s.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time an idle keep-alive connection is kept. Default 130 s.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(130);

    /// <summary>Minimum request body rate in bytes/s after a grace period (<c>0</c> disables). Default 240.</summary>
    public double MinRequestBodyDataRate { get; set; } = 240;

    /// <summary>Minimum response rate in bytes/s after a grace period (<c>0</c> disables). Default 240.</summary>
    public double MinResponseDataRate { get; set; } = 240;

    /// <summary>Grace period for the minimum data rates. Default 5 s.</summary>
    public TimeSpan MinDataRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most open connections (further ones are refused); <c>null</c> for no limit.</summary>
    public long? MaxConcurrentConnections { get; set; }

    /// <summary>
    /// Refuse, with 400 and a close, HTTP/1.x input that RFC 9110/9112 forbid and Kestrel lets through (a signed or
    /// listed <c>Content-Length</c>, an empty <c>Host</c>, invalid field names and chunk extensions, controls in field
    /// values...), before it reaches Kestrel's parser; see docs/http11-strict.md. Default true; <c>false</c> leaves
    /// the judgement to Kestrel alone.
    /// </summary>
    public bool StrictHttp1 { get; set; } = true;
}

/// <summary>WebSocket settings.</summary>
public sealed class SsgiWebSocketOptions
{
    /// <summary>Largest message in bytes; a larger one closes the session with 1009. Default 1 MiB.</summary>
    public int MaxMessageSize { get; set; } = 1024 * 1024;

    /// <summary>Most bytes queued for one slow client before <see cref="CloseOnBackpressureLimit"/> applies. Default 1 MiB.</summary>
    public int MaxBackpressure { get; set; } = 1024 * 1024;

    /// <summary><c>true</c>: close a session past <see cref="MaxBackpressure"/> (1008); <c>false</c>: drop the message and return <see cref="SsgiSendStatus.Dropped"/>. Default false.</summary>
    public bool CloseOnBackpressureLimit { get; set; }

    /// <summary>
    /// How long a client may leave a server ping unanswered before its connection is dropped (on_close gets 1006).
    /// Live clients answer pings, so they stay open however quiet they are. Default 120 s; zero disables.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Interval of server pings (keep-alive and dead-peer detection). Default 30 s; zero disables pings and the idle timeout.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Offer permessage-deflate (RFC 7692) when the client asks for it. Default false.</summary>
    public bool Compression { get; set; }

    /// <summary>Most open sessions; further upgrades get 503. Default 100,000.</summary>
    public int MaxSessions { get; set; } = 100_000;
}
