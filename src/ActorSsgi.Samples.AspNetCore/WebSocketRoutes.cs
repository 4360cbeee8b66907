namespace ActorSsgi.Samples.AspNetCore;

/// <summary>The sample's SSGI WebSocket entry: <c>/ws/echo</c> echoes each message with its type; other paths are refused.</summary>
internal static class WebSocketRoutes
{
    public static ValueTask Handle(SsgiType type, string server, string remote, string method, string path,
        string query, ISsgiHeaders getHeader, ISsgiWebSocket ws)
    {
        if (path != "/ws/echo")
        {
            return ws.Reject(404, "no such WebSocket route"u8.ToArray());
        }

        ws.OnReceive(static (socket, message) => _ = message.IsText ? socket.Send(message.Text) : socket.Send(message.Data));
        return ws.Accept();
    }
}
