using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace RawKestrel;

/// <summary>
/// Routes on the raw feature collection. The feature collection itself is the per-request context:
/// there is nothing else worth allocating per request.
/// </summary>
internal sealed class RawApplication(CancellationToken shutdown) : IHttpApplication<IFeatureCollection>
{
    private readonly ChatRooms _rooms = new();
    private readonly ConcurrentChatRooms _concurrentRooms = new();

    public IFeatureCollection CreateContext(IFeatureCollection contextFeatures) => contextFeatures;

    public Task ProcessRequestAsync(IFeatureCollection features)
    {
        var request = features.GetRequiredFeature<IHttpRequestFeature>();
        var path = request.Path;
        var isGet = request.Method == "GET";

        if (isGet && path == "/plaintext")
        {
            Endpoints.Plaintext(features);
            return Task.CompletedTask;
        }
        if (isGet && path == "/json")
        {
            Endpoints.Json(features);
            return Task.CompletedTask;
        }
        if (request.Method == "POST" && path == "/stream")
        {
            return Endpoints.StreamEchoAsync(features);
        }
        if (isGet && path == "/ws/echo")
        {
            return WebSocketUpgrade.RunAsync(features, EchoSession.RunAsync, shutdown);
        }
        if (isGet && path == "/ws/chat")
        {
            var room = QueryValue(request.QueryString, "room") ?? "default";
            return WebSocketUpgrade.RunAsync(features, (socket, ct) => _rooms.RunSessionAsync(room, socket, ct), shutdown);
        }
        if (isGet && path == "/ws/chat-concurrent")
        {
            var room = QueryValue(request.QueryString, "room") ?? "default";
            return WebSocketUpgrade.RunAsync(features, (socket, ct) => _concurrentRooms.RunSessionAsync(room, socket, ct), shutdown);
        }

        features.GetRequiredFeature<IHttpResponseFeature>().StatusCode = 404;
        return Task.CompletedTask;
    }

    public void DisposeContext(IFeatureCollection context, Exception? exception)
    {
    }

    // "?room=bench&x=y" -> "bench" for name "room". Only what the chat route needs.
    private static string? QueryValue(string queryString, string name)
    {
        foreach (var pair in queryString.TrimStart('?').Split('&'))
        {
            var eq = pair.IndexOf('=');
            if (eq > 0 && pair.AsSpan(0, eq).SequenceEqual(name))
            {
                return Uri.UnescapeDataString(pair[(eq + 1)..]);
            }
        }
        return null;
    }
}
