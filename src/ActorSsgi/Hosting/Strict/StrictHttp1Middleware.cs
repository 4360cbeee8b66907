using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.Hosting.Strict;

/// <summary>
/// Kestrel connection middleware that puts <see cref="StrictHttp1Reader"/> between the transport (after TLS) and
/// Kestrel's HTTP/1.x parser (<see cref="SsgiLimitsOptions.StrictHttp1"/>).
/// </summary>
internal static class StrictHttp1Middleware
{
    /// <summary>
    /// Adds the filter to an endpoint that speaks HTTP/1.x. Call it after <c>UseHttps</c>, so it reads the decrypted
    /// bytes; a TLS connection that negotiated h2 through ALPN is left alone, and so is an h2-only endpoint.
    /// </summary>
    public static void UseStrictHttp1(this ListenOptions listen, ILoggerFactory loggerFactory)
    {
        if ((listen.Protocols & HttpProtocols.Http1) == 0)
        {
            return;
        }

        var logger = loggerFactory.CreateLogger("ActorSsgi.Hosting.StrictHttp1");
        listen.Use(next => (ConnectionDelegate)(connection =>
        {
            if (connection.Features.Get<ITlsApplicationProtocolFeature>() is { } alpn && alpn.ApplicationProtocol.Span.SequenceEqual("h2"u8))
            {
                return next(connection);
            }

            return Filtered(next, connection, logger);
        }));
    }

    private static async Task Filtered(ConnectionDelegate next, ConnectionContext connection, ILogger logger)
    {
        var transport = connection.Transport;
        connection.Transport = new FilteredPipe(new StrictHttp1Reader(transport.Input, logger, connection.ConnectionId), transport.Output);
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            connection.Transport = transport;
        }
    }

    private sealed class FilteredPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}

/// <summary>The filter's log messages.</summary>
internal static partial class StrictHttp1Log
{
    /// <summary>A request was refused with 400; Debug, since a client can cause it at will.</summary>
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Strict HTTP/1.1: connection {ConnectionId} refused with 400 at byte {Offset}: {Reason}.")]
    public static partial void Rejected(ILogger logger, string connectionId, string? reason, long offset);
}
