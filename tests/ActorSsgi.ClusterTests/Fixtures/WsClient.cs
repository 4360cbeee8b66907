using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace ActorSsgi.ClusterTests.Fixtures;

/// <summary>
/// A ClientWebSocket that reads in the background into a queue, so a test can wait for "the next message" or "the
/// message that says X" with a deadline, and see how the connection ended.
/// </summary>
public sealed class WsClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly ClientWebSocket _socket;
    private readonly Channel<string> _messages = Channel.CreateUnbounded<string>();
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WsClient(ClientWebSocket socket, Uri uri)
    {
        _socket = socket;
        Uri = uri;
        _ = ReadAsync();
    }

    /// <summary>Where this client connected (its node and room), for failure messages.</summary>
    public Uri Uri { get; }

    /// <summary>Completes when the connection ended: with the server's close code, or null when it was cut.</summary>
    public Task<WebSocketCloseStatus?> Ended => _ended.Task;

    public static async Task<WsClient> ConnectAsync(Uri uri)
    {
        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(uri, timeout.Token);
        return new WsClient(socket, uri);
    }

    public async Task SendAsync(string text)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>The next text message.</summary>
    public async Task<string> ReceiveAsync(TimeSpan? timeout = null, string what = "a message")
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        try
        {
            return await _messages.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No message within {(timeout ?? Timeout).TotalSeconds:0.#} s waiting for {what} at {Uri}.");
        }
        catch (ChannelClosedException)
        {
            throw new WebSocketException($"The connection ended ({Ended.Result?.ToString() ?? "cut"}) while waiting for {what}.");
        }
    }

    /// <summary>Reads until <paramref name="text"/> arrives; returns what came before it.</summary>
    public async Task<List<string>> ReceiveUntilAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        var before = new List<string>();
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var message = await ReceiveAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1), $"'{text}' (after {before.Count} others)");
            if (message == text)
            {
                return before;
            }

            before.Add(message);
        }
    }

    /// <summary>Messages that are already queued, without waiting.</summary>
    public List<string> Drain()
    {
        var drained = new List<string>();
        while (_messages.Reader.TryRead(out var message))
        {
            drained.Add(message);
        }

        return drained;
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _ended.TrySetResult(result.CloseStatus);
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    _messages.Writer.TryWrite(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
                    message.SetLength(0);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            _ended.TrySetResult(null);
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
                // The server or the test already ended it.
            }
        }

        _socket.Dispose();
    }
}
