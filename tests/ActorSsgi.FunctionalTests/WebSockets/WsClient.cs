using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace ActorSsgi.FunctionalTests.WebSockets;

/// <summary>One received WebSocket message, or the close (then <see cref="Type"/> is Close).</summary>
public sealed record WsMessage(WebSocketMessageType Type, byte[] Data, WebSocketCloseStatus? CloseStatus = null, string? CloseDescription = null)
{
    public string Text => Encoding.UTF8.GetString(Data);

    public bool IsClose => Type == WebSocketMessageType.Close;

    public override string ToString() => IsClose
        ? $"close {(int?)CloseStatus} '{CloseDescription}'"
        : $"{Type} ({Data.Length} bytes){(Type == WebSocketMessageType.Text && Data.Length <= 200 ? ": " + Text : "")}";
}

/// <summary>ClientWebSocket with deadlines: every wait in these tests ends, with a message saying what did not happen.</summary>
public static class WsClient
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task<ClientWebSocket> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null, HttpMessageInvoker? invoker = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await socket.ConnectAsync(uri, invoker, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return socket;
    }

    /// <summary>
    /// An HTTP handler whose sockets have a small fixed receive buffer (no autotuning), so that a client that does
    /// not read pushes back on the server after a few hundred KiB instead of tens of MiB of kernel buffers.
    /// </summary>
    public static HttpMessageInvoker SmallReceiveBufferInvoker(int bytes = 32 * 1024) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, token) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = bytes };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, token);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });

    public static Task SendTextAsync(this WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public static Task SendBinaryAsync(this WebSocket socket, byte[] data) =>
        socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);

    /// <summary>Receives one whole message (or the close) within <paramref name="timeout"/>.</summary>
    public static async Task<WsMessage> ReceiveAsync(this WebSocket socket, TimeSpan? timeout = null, string? what = null)
    {
        var limit = timeout ?? Timeout;
        using var cancel = new CancellationTokenSource(limit);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var data = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), cancel.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return new WsMessage(WebSocketMessageType.Close, [], socket.CloseStatus, socket.CloseStatusDescription);
                }

                data.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return new WsMessage(result.MessageType, data.ToArray());
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"No WebSocket message within {limit.TotalSeconds:0.#} s{(what is null ? "" : " (waiting for " + what + ")")}.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Receives until a text message equal to <paramref name="text"/> arrives; returns what came before it.</summary>
    public static async Task<List<WsMessage>> ReceiveUntilTextAsync(this WebSocket socket, string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        var before = new List<WsMessage>();
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"'{text}' did not arrive in time; got before it: {string.Join(", ", before)}");
            }

            var message = await socket.ReceiveAsync(left, $"'{text}'");
            if (message.Type == WebSocketMessageType.Text && message.Text == text)
            {
                return before;
            }

            Assert.False(message.IsClose, $"The session closed ({message}) before '{text}' arrived.");
            before.Add(message);
        }
    }

    /// <summary>Receives the close frame, skipping data messages; returns it with the number of messages skipped.</summary>
    public static async Task<(WsMessage Close, int Skipped)> ReceiveCloseAsync(this WebSocket socket, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        var skipped = 0;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No close frame in time ({skipped} messages before it).");
            }

            var message = await socket.ReceiveAsync(left, "the close frame");
            if (message.IsClose)
            {
                return (message, skipped);
            }

            skipped++;
        }
    }

    /// <summary>Answers the server's close (so that it need not wait for its close timeout) and disposes.</summary>
    public static async Task AnswerCloseAsync(this WebSocket socket)
    {
        if (socket.State == WebSocketState.CloseReceived)
        {
            using var cancel = new CancellationTokenSource(Timeout);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancel.Token);
        }
    }

    /// <summary>Closes politely if still open; never throws (for finally blocks).</summary>
    public static async Task CloseQuietlyAsync(this WebSocket socket)
    {
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cancel.Token);
            }
            else if (socket.State == WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancel.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }
}

/// <summary>An HTTP response read off a raw socket.</summary>
public sealed record WsRawResponse(string StatusLine, int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public override string ToString() => StatusLine + "\n" + string.Join("\n", Headers.Select(h => h.Key + ": " + h.Value)) + "\n\n" + Body;
}

/// <summary>Hand-written HTTP/1.1 requests over TCP: what no client library lets through (a broken handshake).</summary>
public static class WsRawHttp
{
    /// <summary>Sends <paramref name="request"/> (lines joined with CRLF, ending with an empty line) and reads one response.</summary>
    public static async Task<WsRawResponse> SendAsync(IPEndPoint endPoint, params string[] requestLines)
    {
        using var cancel = new CancellationTokenSource(WsClient.Timeout);
        using var client = new TcpClient();
        await client.ConnectAsync(endPoint, cancel.Token);
        var stream = client.GetStream();
        var request = string.Join("\r\n", requestLines) + "\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancel.Token);

        var received = new List<byte>();
        var buffer = new byte[8192];
        int headerEnd;
        while ((headerEnd = IndexOf(received, "\r\n\r\n"u8)) < 0)
        {
            var n = await stream.ReadAsync(buffer, cancel.Token);
            if (n == 0)
            {
                throw new IOException("The server closed the connection before the response headers ended: " + Encoding.ASCII.GetString(received.ToArray()));
            }

            received.AddRange(buffer.AsSpan(0, n));
        }

        var head = Encoding.ASCII.GetString(received.ToArray(), 0, headerEnd).Split("\r\n");
        var headers = head.Skip(1)
            .Select(line => line.Split(':', 2))
            .Select(parts => KeyValuePair.Create(parts[0].Trim(), parts.Length > 1 ? parts[1].Trim() : ""))
            .ToList();
        var status = int.Parse(head[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var body = received.Skip(headerEnd + 4).ToList();
        var lengthHeader = headers.FirstOrDefault(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Value;
        if (lengthHeader is not null)
        {
            var length = int.Parse(lengthHeader, System.Globalization.CultureInfo.InvariantCulture);
            while (body.Count < length)
            {
                var n = await stream.ReadAsync(buffer, cancel.Token);
                if (n == 0)
                {
                    break;
                }

                body.AddRange(buffer.AsSpan(0, n));
            }
        }

        return new WsRawResponse(head[0], status, headers, Encoding.UTF8.GetString(body.ToArray()));
    }

    /// <summary>The lines of a valid RFC 6455 upgrade request for <paramref name="path"/>, to be edited by a test.</summary>
    public static List<string> UpgradeRequest(IPEndPoint endPoint, string path) =>
    [
        $"GET {path} HTTP/1.1",
        $"Host: {endPoint}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
    ];

    private static int IndexOf(List<byte> data, ReadOnlySpan<byte> pattern)
    {
        for (var i = 0; i + pattern.Length <= data.Count; i++)
        {
            var match = true;
            for (var j = 0; j < pattern.Length && match; j++)
            {
                match = data[i + j] == pattern[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }
}
