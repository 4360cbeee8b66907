using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ActorSsgi.TestKit.WebSockets;

/// <summary>
/// The client side of one test session: either rejected (the HTTP answer is here) or accepted (a real client
/// <see cref="WebSocket"/> talks to the server's session actor).
/// </summary>
public sealed class SyntheticWebSocket : IAsyncDisposable
{
    private readonly WebSocket? _client;
    private readonly Stream? _connection;

    private SyntheticWebSocket(int status, IHeaderDictionary headers, WebSocket? client, Stream? connection, byte[] body, Task serverEnded)
    {
        StatusCode = status;
        Headers = headers;
        _client = client;
        _connection = connection;
        Body = body;
        ServerEnded = serverEnded;
    }

    /// <summary>101 when accepted, else the rejection's status.</summary>
    public int StatusCode { get; }

    /// <summary>The response headers of the handshake (or the rejection).</summary>
    public IHeaderDictionary Headers { get; }

    /// <summary>The rejection's body; empty when accepted.</summary>
    public byte[] Body { get; }

    /// <summary>Whether the handler accepted the upgrade.</summary>
    public bool IsAccepted => _client is not null;

    /// <summary>The subprotocol the server confirmed, or <c>null</c>.</summary>
    public string? SubProtocol => _client?.SubProtocol;

    /// <summary>Completes when the server has finished with the session (what Kestrel would await).</summary>
    public Task ServerEnded { get; }

    /// <summary>The client socket (accepted sessions only).</summary>
    public WebSocket Client => _client ?? throw new InvalidOperationException($"The upgrade was rejected with {StatusCode}.");

    internal static SyntheticWebSocket Rejected(int status, IHeaderDictionary headers, byte[] body, Task ended) => new(status, headers, null, null, body, ended);

    internal static SyntheticWebSocket Accepted(int status, IHeaderDictionary headers, WebSocket client, Stream connection, Task ended) =>
        new(status, headers, client, connection, [], ended);

    /// <summary>
    /// Writes bytes to the server as they are, past the client socket: for protocol tests that need frames a
    /// well-behaved client never sends (invalid control frames, bad UTF-8, unmasked frames). Client frames must be
    /// masked (RFC 6455 5.3). Don't interleave it with a send on <see cref="Client"/>.
    /// </summary>
    /// <param name="bytes">Whole frames, header and payload.</param>
    /// <returns>Completes when written.</returns>
    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes)
    {
        var connection = _connection ?? throw new InvalidOperationException($"The upgrade was rejected with {StatusCode}.");
        await connection.WriteAsync(bytes).ConfigureAwait(false);
        await connection.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Sends a text message.</summary>
    /// <param name="text">The text.</param>
    /// <returns>Completes when written.</returns>
    public Task SendTextAsync(string text) => Client.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Sends a binary message.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>Completes when written.</returns>
    public Task SendBinaryAsync(ReadOnlyMemory<byte> data) => Client.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None).AsTask();

    /// <summary>
    /// Receives the next message, or the server's close (then <see cref="SyntheticMessage.CloseCode"/> is set).
    /// </summary>
    /// <param name="timeout">How long to wait (5 s by default).</param>
    /// <returns>The message.</returns>
    public async Task<SyntheticMessage> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            var result = await Client.ReceiveAsync(buffer.GetMemory(4096), cancel.Token).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (Client.State == WebSocketState.CloseReceived)
                {
                    // Answer like a well-behaved client, with the same code.
                    await Client.CloseOutputAsync(Client.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
                }

                return new SyntheticMessage(null, false, (int?)Client.CloseStatus ?? 1005, Client.CloseStatusDescription);
            }

            buffer.Advance(result.Count);
            if (result.EndOfMessage)
            {
                return new SyntheticMessage(buffer.WrittenMemory.ToArray(), result.MessageType == WebSocketMessageType.Text, null, null);
            }
        }
    }

    /// <summary>Closes from the client side and waits for the server's answer.</summary>
    /// <param name="code">The close code.</param>
    /// <param name="reason">An optional reason.</param>
    /// <returns>The code the server answered with.</returns>
    public async Task<int?> CloseAsync(int code = 1000, string? reason = null)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await Client.CloseAsync((WebSocketCloseStatus)code, reason, cancel.Token).ConfigureAwait(false);
        return (int?)Client.CloseStatus;
    }

    /// <summary>Drops the connection without a close frame, as a client that vanished.</summary>
    public void Abort() => _client?.Abort();

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _client?.Abort();
        _client?.Dispose();
        return default;
    }
}

/// <summary>One message (or the close) a synthetic client received.</summary>
/// <param name="Data">The payload; <c>null</c> for a close.</param>
/// <param name="IsText">Whether it was a text message.</param>
/// <param name="CloseCode">The server's close code when this is a close.</param>
/// <param name="CloseReason">The server's close reason.</param>
public sealed record SyntheticMessage(byte[]? Data, bool IsText, int? CloseCode, string? CloseReason)
{
    /// <summary>The payload as UTF-8 text.</summary>
    public string Text => Data is null ? "" : Encoding.UTF8.GetString(Data);
}
