using System.Net.Http;
using System.Net.WebSockets;

namespace LoadClient;

/// <summary>Opening and closing many WebSocket sessions without flooding the server's accept queue.</summary>
internal static class Sessions
{
    // One shared handler: a handler per ClientWebSocket would make connection set-up, not the server, the cost.
    private static readonly HttpMessageInvoker Invoker = new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(30),
    });

    /// <summary>
    /// Opens <paramref name="count"/> sessions, <paramref name="batch"/> handshakes at a time (Kestrel's listen
    /// backlog is 512; a batch well below it keeps SYNs from being dropped and retried a second later).
    /// <paramref name="onOpen"/> runs as soon as each session is up, e.g. to start draining it.
    /// </summary>
    public static async Task<ClientWebSocket[]> OpenAsync(
        Uri url, int count, int batch, CancellationToken ct, Action<int, ClientWebSocket>? onOpen = null)
    {
        var sockets = new ClientWebSocket[count];
        for (var start = 0; start < count; start += batch)
        {
            var end = Math.Min(count, start + batch);
            var handshakes = new Task[end - start];
            for (var i = start; i < end; i++)
            {
                handshakes[i - start] = OpenOneAsync(url, sockets, i, ct, onOpen);
            }
            await Task.WhenAll(handshakes);
        }
        return sockets;
    }

    private static async Task OpenOneAsync(
        Uri url, ClientWebSocket[] sockets, int index, CancellationToken ct, Action<int, ClientWebSocket>? onOpen)
    {
        var socket = new ClientWebSocket();
        // Client pings would be extra server work that no scenario asks for.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(url, Invoker, ct);
        sockets[index] = socket;
        onOpen?.Invoke(index, socket);
    }

    /// <summary>
    /// Close handshake for sessions with no receive pending (CloseAsync reads the server's close frame itself),
    /// in batches, bounded by <paramref name="timeout"/>; stragglers are aborted.
    /// </summary>
    public static async Task CloseAsync(IReadOnlyList<ClientWebSocket?> sockets, int batch, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        for (var start = 0; start < sockets.Count; start += batch)
        {
            var closes = new List<Task>(batch);
            for (var i = start; i < Math.Min(sockets.Count, start + batch); i++)
            {
                if (sockets[i] is { } socket)
                {
                    closes.Add(CloseOneAsync(socket, deadline.Token));
                }
            }
            await Task.WhenAll(closes);
        }
    }

    private static async Task CloseOneAsync(ClientWebSocket socket, CancellationToken ct)
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // Server already gone or too slow to answer the close: the socket is aborted by Dispose below.
        }
        finally
        {
            socket.Dispose();
        }
    }
}
