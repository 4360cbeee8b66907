using System.Net.WebSockets;
using ActorSsgi.WebSockets;

namespace ActorSsgi.Tests.WebSockets;

/// <summary>Regressions found by the <c>mask</c> fuzz harness (tests/ActorSsgi.Fuzz, docs/fuzzing.md).</summary>
public sealed class MaskCheckingStreamSpec
{
    // A masked binary frame whose 64-bit length has its top bit set (RFC 6455 5.2 forbids it), then two bytes that
    // look like an unmasked frame header but are part of that frame's claimed payload. The fuzzer's input was
    // 82 FF FF E1 00 00 00 FD 00 2C ...: the length went negative, and the payload was parsed as frame headers.
    private static readonly byte[] TopBitLength =
        [0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x37, 0xFA, 0x21, 0x3D, 0x81, 0x02, (byte)'n', (byte)'o'];

    [Fact]
    public async Task A_length_with_its_top_bit_set_is_not_followed_into_its_payload()
    {
        using var stream = new MaskCheckingStream(new MemoryStream(TopBitLength));
        var buffer = new byte[64];
        var total = 0;
        for (int read; (read = await stream.ReadAsync(buffer.AsMemory(total))) > 0;)
        {
            total += read;
        }

        Assert.False(stream.UnmaskedFrameSeen);
        Assert.Equal(TopBitLength, buffer[..total]);
    }

    [Fact]
    public async Task ManagedWebSocket_refuses_that_frame_with_1002()
    {
        // One stream both ways: the server's close frame lands after the client's bytes.
        var connection = new MemoryStream();
        connection.Write(TopBitLength);
        connection.Position = 0;
        using var socket = WebSocket.CreateFromStream(new MaskCheckingStream(connection),
            new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ReceiveAsync(new byte[64], CancellationToken.None));

        var sent = connection.ToArray()[TopBitLength.Length..];
        Assert.True(sent.Length >= 4, $"no close frame was sent ({sent.Length} bytes)");
        Assert.Equal(0x88, sent[0]);
        Assert.Equal(1002, (sent[2] << 8) | sent[3]);
    }
}
