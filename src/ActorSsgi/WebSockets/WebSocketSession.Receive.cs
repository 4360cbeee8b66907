using Microsoft.Extensions.Logging;
using System.Buffers;
using System.Net.WebSockets;

namespace ActorSsgi.WebSockets;

/// <summary>The inbound side: frames become messages, delivered to on_receive one at a time, in order.</summary>
internal sealed partial class WebSocketSession
{
    private const int ReceiveBufferSize = 4096;

    /// <summary>
    /// Runs in the actor: every await resumes as a message ("frame arrived"), so on_receive never overlaps other
    /// work of the session; a receive resumes through <see cref="Dispatch.ResumeInActor"/>, on the thread the frame
    /// arrived on. The next frame is read only after the handler's task completed: a slow handler slows
    /// its client down instead of queueing messages in memory.
    /// </summary>
    private async Task ReceiveLoopAsync(WebSocket socket)
    {
        byte[]? buffer = null;
        ArrayBufferWriter<byte>? assembly = null;
        var receivingText = false;
        int code;
        string? reason;
        try
        {
            while (true)
            {
                ValueWebSocketReceiveResult result;
                if (buffer is null)
                {
                    // An idle session holds no buffer: wait for the next frame header with a zero-byte receive.
                    result = await _receiveResume.Await(socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None));
                    if (result.MessageType != WebSocketMessageType.Close && !(result.EndOfMessage && result.Count == 0 && assembly is null))
                    {
                        receivingText = result.MessageType == WebSocketMessageType.Text;
                        buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
                        continue;
                    }
                }
                else
                {
                    result = await _receiveResume.Await(socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None));
                }

                if (State == SessionState.Closed)
                {
                    return;
                }

                receivingText = result.MessageType == WebSocketMessageType.Text && !result.EndOfMessage;

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    code = (int?)socket.CloseStatus ?? 1005;
                    reason = socket.CloseStatusDescription;
                    await AnswerCloseAsync(socket, code);
                    break;
                }

                ReadOnlyMemory<byte> message;
                if (result.EndOfMessage && assembly is null)
                {
                    message = buffer is null ? ReadOnlyMemory<byte>.Empty : buffer.AsMemory(0, result.Count);
                }
                else
                {
                    assembly ??= new ArrayBufferWriter<byte>(ReceiveBufferSize * 2);
                    assembly.Write(buffer.AsSpan(0, result.Count));
                    message = assembly.WrittenMemory;
                }

                if (message.Length > _options.MaxMessageSize)
                {
                    (code, reason) = (1009, "message too big");
                    await CloseSocketAsync(socket, code, reason);
                    break;
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                _messagesReceived++;
                _gateway.Metrics.MessageReceived(message.Length);

                var handler = _onReceive;
                if (handler is not null && State == SessionState.Accepted)
                {
                    try
                    {
                        var task = handler.Invoke(_facade!, new SsgiMessage(message, result.MessageType == WebSocketMessageType.Text));
                        if (!task.IsCompletedSuccessfully)
                        {
                            await task;
                        }
                    }
                    catch (Exception ex)
                    {
                        // Thrown again by the actor, so that its supervisor decides (stop: close 1011).
                        _self.Tell(new SessionHandlerFailed(ex), Akka.Actor.ActorRefs.NoSender);
                        return;
                    }
                }

                // The message is delivered: give its memory back before waiting for the next one.
                assembly = null;
                if (buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }
        }
        catch (WebSocketException ex) when (_unmaskedCheck?.UnmaskedFrameSeen == true)
        {
            // RFC 6455 5.1: a server closes on an unmasked client frame. ManagedWebSocket saw only an end of stream.
            (code, reason) = (1002, "unmasked client frame");
            await SendRawCloseAsync(code);
            _logger.LogDebug(ex, "Closed a WebSocket session: unmasked client frame");
        }
        catch (WebSocketException ex)
        {
            // ManagedWebSocket has already sent its close frame: 1007 for invalid UTF-8 in a text message, 1002 for
            // other protocol errors. A connection that just ended is 1006, as RFC 6455 7.1.5 has it.
            code = ex.WebSocketErrorCode switch
            {
                WebSocketError.ConnectionClosedPrematurely => State == SessionState.Closing ? _closeCode : 1006,
                // ManagedWebSocket answered a protocol error with a close frame (1002, or 1007 for bad UTF-8): on_close
                // gets the code the client was sent.
                _ when State != SessionState.Closing && _stream?.CloseCodeWritten is int sent => sent,
                // The close frame could not be written: the best guess from the exception.
                _ when receivingText && ex.WebSocketErrorCode == WebSocketError.Faulted && ex.InnerException is null && !ex.Message.Contains("frame", StringComparison.OrdinalIgnoreCase) => 1007,
                // Aborted (keep-alive timeout: no pong within IdleTimeout): no close frame was exchanged.
                _ when socket.State == WebSocketState.Aborted && _stream?.CloseFrameWritten != true => State == SessionState.Closing ? _closeCode : 1006,
                _ => (int?)socket.CloseStatus ?? 1002,
            };
            reason = code == 1006 ? "connection lost" : ex.Message;
            _logger.LogDebug(ex, "WebSocket session ended with {Code}", code);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            code = State == SessionState.Closing ? _closeCode : 1006;
            reason = State == SessionState.Closing ? _closeReason : "connection lost";
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        if (State is SessionState.Accepted or SessionState.Closing)
        {
            if (State == SessionState.Closing)
            {
                // We started the close: report our code, as the client echoes it.
                (code, reason) = (_closeCode, _closeReason);
            }

            NotifyClosed(code, reason);
        }
    }

    /// <summary>Writes a close frame straight to the connection, for when ManagedWebSocket can no longer send.</summary>
    private async Task SendRawCloseAsync(int code)
    {
        try
        {
            var frame = new byte[] { 0x88, 0x02, (byte)(code >> 8), (byte)code };
            await _unmaskedCheck!.Inner.WriteAsync(frame);
            await _unmaskedCheck.Inner.FlushAsync();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The client is gone already.
        }
    }

    /// <summary>The client closed: answer with the same code (RFC 6455 5.5.1), unless we already sent ours.</summary>
    private async Task AnswerCloseAsync(WebSocket socket, int code)
    {
        if (socket.State != WebSocketState.CloseReceived)
        {
            return;
        }

        var answer = code is 1005 or 1006 or 1015 ? WebSocketCloseStatus.NormalClosure : (WebSocketCloseStatus)code;
        try
        {
            await socket.CloseOutputAsync(answer, null, CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            // The client is already gone; the session ends all the same.
        }
    }
}
