using Microsoft.Extensions.Logging;

namespace ActorSsgi.Telemetry;

/// <summary>The access log's entries: source-generated, so a written entry formats nothing it does not need.</summary>
internal static partial class AccessLog
{
    /// <summary>The logger category of every entry.</summary>
    public const string Category = "ActorSsgi.AccessLog";

    [LoggerMessage(EventId = 1, EventName = "Request", Level = LogLevel.Information,
        Message = "{RemoteAddress} \"{Method} {Path}{Query} {Protocol}\" {Status} {BytesSent} {DurationMs:0.###} ms \"{UserAgent}\"")]
    public static partial void Request(
        ILogger logger,
        string remoteAddress,
        string method,
        string path,
        string query,
        string protocol,
        int status,
        long bytesSent,
        double durationMs,
        string userAgent);

    [LoggerMessage(EventId = 2, EventName = "WebSocketSession", Level = LogLevel.Information,
        Message = "{RemoteAddress} WebSocket {Path} closed {CloseCode} after {DurationMs:0.###} ms, {MessagesReceived} messages received, {MessagesSent} sent")]
    public static partial void Session(
        ILogger logger,
        string remoteAddress,
        string path,
        int closeCode,
        double durationMs,
        long messagesReceived,
        long messagesSent);
}
