using System.Buffers;
using System.Net.WebSockets;

namespace RawKestrel;

/// <summary>Echoes every frame back with its message type; larger messages are echoed fragment by fragment.</summary>
internal static class EchoSession
{
    public static async Task RunAsync(WebSocket socket, CancellationToken shutdown)
    {
        // 4 KiB is what ASP.NET Core's samples use; pooled so idle sessions reuse arrays when they can.
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(), shutdown);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, shutdown);
                    return;
                }
                await socket.SendAsync(
                    buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, shutdown);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
