using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.Hosting;

/// <summary>
/// Kestrel's socket transport, made the way the web host makes it. A bare <c>SocketTransportFactory</c> rents its
/// pipe buffers from <c>MemoryPool&lt;byte&gt;.Shared</c> (the shared <c>ArrayPool</c>), whose per-thread buckets miss
/// when a buffer is rented on one thread and returned on another, as a pipe's are: measured on pipelined plaintext,
/// a third of everything the server allocated was such buffers, with gen1 collections bare Kestrel under a web host
/// never had. The pinned-block pool the web host uses is internal and reaches the transport only through the
/// services <c>UseKestrelCore</c> registers. So the host's transport is taken when it has one (an ASP.NET Core app),
/// otherwise <c>UseKestrelCore</c> registers one into a private service collection it alone comes from.
/// </summary>
internal sealed class KestrelTransport : IDisposable
{
    // Linux's <sys/socket.h>: SOL_SOCKET and SO_REUSEPORT. .NET has no named option for SO_REUSEPORT.
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    private readonly ServiceProvider? _privateServices;

    private KestrelTransport(IConnectionListenerFactory factory, ServiceProvider? privateServices)
    {
        Factory = factory;
        _privateServices = privateServices;
    }

    /// <summary>What Kestrel binds its listeners with.</summary>
    public IConnectionListenerFactory Factory { get; }

    /// <summary>The host's transport, or one of Kestrel's own made for this server.</summary>
    /// <param name="hostServices">The host's services.</param>
    /// <param name="loggerFactory">Where the transport logs.</param>
    /// <param name="reusePort">Bind listen sockets with <c>SO_REUSEPORT</c> (<see cref="ActorSsgiOptions.ReusePort"/>).</param>
    /// <returns>The transport; dispose it after Kestrel stopped.</returns>
    public static KestrelTransport Create(IServiceProvider hostServices, ILoggerFactory loggerFactory, bool reusePort = false)
    {
        if (reusePort && !OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("ActorSsgi:ReusePort needs Linux's SO_REUSEPORT.");
        }

        if (hostServices.GetService<IConnectionListenerFactory>() is { } hosted)
        {
            return new KestrelTransport(hosted, null);
        }

        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory);
        services.AddOptions();
        // The pool's metrics (aspnetcore.memory_pool.*) go to the host's meters when it has them.
        if (hostServices.GetService<IMeterFactory>() is { } meters)
        {
            services.AddSingleton(meters);
        }
        else
        {
            services.AddMetrics();
        }

        new ServicesOnlyWebHostBuilder(services).UseKestrelCore();
        if (reusePort)
        {
            services.Configure<SocketTransportOptions>(socket => socket.CreateBoundListenSocket = BindReusingPort);
        }

        var provider = services.BuildServiceProvider();
        return new KestrelTransport(provider.GetRequiredService<IConnectionListenerFactory>(), provider);
    }

    /// <inheritdoc />
    public void Dispose() => _privateServices?.Dispose();

    /// <summary>
    /// Kestrel's own bind, with <c>SO_REUSEPORT</c> set first: the option only joins sockets into one port group when
    /// every one of them had it before <c>bind</c>.
    /// </summary>
    /// <param name="endpoint">The endpoint to bind.</param>
    /// <returns>The bound socket, not yet listening.</returns>
    internal static Socket BindReusingPort(EndPoint endpoint)
    {
        if (endpoint is not IPEndPoint ip)
        {
            return SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
        }

        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            if (ip.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(ip);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Just enough of a web host builder for <c>UseKestrelCore</c>, which only adds services: it is never built.
    /// </summary>
    private sealed class ServicesOnlyWebHostBuilder(IServiceCollection services) : IWebHostBuilder
    {
#pragma warning disable ASPDEPR008 // IWebHost is obsolete; the interface still names it, and Build is never called.
        public IWebHost Build() => throw new NotSupportedException("Only services are configured through this builder.");
#pragma warning restore ASPDEPR008

        public IWebHostBuilder ConfigureAppConfiguration(Action<WebHostBuilderContext, IConfigurationBuilder> configureDelegate) => this;

        public IWebHostBuilder ConfigureServices(Action<IServiceCollection> configureServices)
        {
            configureServices(services);
            return this;
        }

        public IWebHostBuilder ConfigureServices(Action<WebHostBuilderContext, IServiceCollection> configureServices)
        {
            configureServices(new WebHostBuilderContext(), services);
            return this;
        }

        public string? GetSetting(string key) => null;

        public IWebHostBuilder UseSetting(string key, string? value) => this;
    }
}
