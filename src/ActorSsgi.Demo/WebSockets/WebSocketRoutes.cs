using System.Globalization;
using System.Text;
using System.Web;
using ActorSsgi.Demo.Chat;
using ActorSsgi.Demo.Dashboard;

namespace ActorSsgi.Demo.WebSockets;

/// <summary>
/// The demo's WebSocket routes: echo, reject, close with a code, chat rooms over topics (with history when the host
/// runs the room entities), and sessions addressable by user id.
/// </summary>
internal sealed class WebSocketRoutes
{
    private static readonly byte[] Forbidden = "forbidden"u8.ToArray();
    private static readonly byte[] NoDashboard = "this host runs the demo without an actor system to ask"u8.ToArray();
    private readonly RoomHistory? _history;
    private readonly DashboardFeed? _dashboard;

    public WebSocketRoutes(RoomHistory? history, DashboardFeed? dashboard = null)
    {
        _history = history;
        _dashboard = dashboard;
    }

    public ValueTask Handle(SsgiType type, string serverAddress, string remoteAddress, string method, string path, string queryString, ISsgiHeaders getHeader, ISsgiWebSocket ws)
    {
        switch (path)
        {
            case "/ws/echo":
                // Echo each message back with its type (text stays text, binary stays binary).
                ws.OnReceive(static (socket, message) => _ = message.IsText ? socket.Send(message.Text) : socket.Send(message.Data));
                return ws.Accept();
            case "/ws/reject":
                return ws.Reject(403, Forbidden, [new("x-reject-reason", "probe")]);
            case "/ws/close":
                return CloseWith(HttpUtility.ParseQueryString(queryString)["code"], ws);
            case "/ws/chat":
                return ChatRoom.Join(HttpUtility.ParseQueryString(queryString)["room"], ws, _history, _dashboard?.Rooms);
            case "/ws/dashboard":
                return _dashboard is null ? ws.Reject(404, NoDashboard) : DashboardRoute.Watch(_dashboard, ws);
            case "/ws/user":
                return DirectMessages.Connect(HttpUtility.ParseQueryString(queryString)["id"], ws);
            default:
                return ws.Reject(404, Encoding.UTF8.GetBytes("no WebSocket route at " + path));
        }
    }

    private static async ValueTask CloseWith(string? code, ISsgiWebSocket ws)
    {
        if (!int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var closeCode)
            || closeCode is not ((>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999)))
        {
            await ws.Reject(400, Encoding.UTF8.GetBytes("code must be a valid close code: 1000-1003, 1007-1014 or 3000-4999"));
            return;
        }

        await ws.Accept();
        await ws.Close(closeCode, "closed by /ws/close");
    }
}
