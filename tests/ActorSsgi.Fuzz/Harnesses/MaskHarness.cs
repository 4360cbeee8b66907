using System.Buffers.Binary;
using System.Net.WebSockets;
using ActorSsgi.WebSockets;

namespace ActorSsgi.Fuzz.Harnesses;

/// <summary>
/// <see cref="MaskCheckingStream"/> on a fuzzed client byte stream. The first two input bytes seed how the bytes are
/// cut into the inner stream's reads and how large the reader's buffers are (so one input always replays the same
/// way); the rest is what the client sent. The stream has no exception of its own: it answers an unmasked frame
/// with end of stream, so it may throw nothing at all, must pass every byte up to the frame that breaks the rule,
/// and must agree with an RFC 6455 section 5.2 parse of the whole input about whether there is such a frame.
/// Then the same bytes go through ManagedWebSocket on top of it, as a session reads them, where a
/// <see cref="WebSocketException"/> (or the end of the stream) is the only allowed outcome.
/// </summary>
public sealed class MaskHarness : IFuzzHarness
{
    /// <inheritdoc />
    public string Name => "mask";

    /// <inheritdoc />
    public bool IsExpected(Exception exception) => exception is WebSocketException;

    /// <inheritdoc />
    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length < 2)
        {
            return;
        }

        var seed = BinaryPrimitives.ReadUInt16LittleEndian(input);
        var data = input[2..].ToArray();
        CheckStream(data, seed);
        ReceiveAll(data, seed);
    }

    private static void CheckStream(byte[] data, int seed)
    {
        var unmaskedAt = FirstUnmaskedFrame(data);
        var random = new Random(seed);
        using var stream = new MaskCheckingStream(new ChoppedStream(data, new Random(seed ^ 0x5A5A)));
        var delivered = new List<byte>(data.Length);
        var buffer = new byte[4096];
        // Every read but the last returns at least one byte, so more reads than bytes means it never ends.
        for (var reads = 0; ; reads++)
        {
            Check(reads <= data.Length + 1, "more reads than bytes: the stream does not reach its end");
            var size = random.Next(1, buffer.Length + 1);
            var read = random.Next(2) == 0
                ? stream.Read(buffer, 0, size)
                : stream.ReadAsync(buffer.AsMemory(0, size)).AsTask().GetAwaiter().GetResult();
            Check(read >= 0 && read <= size, $"read {read} bytes into a buffer of {size}");
            if (read == 0)
            {
                break;
            }

            delivered.AddRange(buffer.AsSpan(0, read));
        }

        Check(delivered.SequenceEqual(data.Take(delivered.Count)), "the bytes passed on are not the client's");
        Check(stream.UnmaskedFrameSeen == unmaskedAt >= 0, $"UnmaskedFrameSeen is {stream.UnmaskedFrameSeen}, the RFC parse says {(unmaskedAt >= 0 ? $"unmasked frame at {unmaskedAt}" : "none")}");
        if (unmaskedAt >= 0)
        {
            // The read that holds the frame's second byte (its mask bit) returns 0, so nothing of the frame but
            // possibly its first byte ever reaches ManagedWebSocket.
            Check(delivered.Count <= unmaskedAt + 1, $"passed on {delivered.Count} bytes, past the unmasked frame at {unmaskedAt}");
            Check(stream.Read(buffer, 0, buffer.Length) == 0, "a read after the unmasked frame returned bytes");
        }
        else
        {
            Check(delivered.Count == data.Length, $"passed on {delivered.Count} of {data.Length} bytes with no unmasked frame");
        }
    }

    /// <summary>The offset of the first frame header without the mask bit, or -1; RFC 6455 section 5.2, over the whole input.</summary>
    private static long FirstUnmaskedFrame(byte[] data)
    {
        long at = 0;
        while (at + 2 <= data.Length)
        {
            if ((data[at + 1] & 0x80) == 0)
            {
                return at;
            }

            var length7 = data[at + 1] & 0x7F;
            var extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
            if (at + 2 + extended + 4 > data.Length)
            {
                return -1;
            }

            ulong length = extended switch
            {
                2 => BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan((int)at + 2)),
                8 => BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan((int)at + 2)),
                _ => (ulong)length7,
            };
            // Compared, not added: a length of 2^64 - 1 would wrap the sum back into the input.
            var payloadStart = at + 2 + extended + 4;
            if (length >= (ulong)(data.Length - payloadStart))
            {
                return -1;
            }

            at = payloadStart + (long)length;
        }

        return -1;
    }

    private static void ReceiveAll(byte[] data, int seed)
    {
        using var socket = WebSocket.CreateFromStream(new MaskCheckingStream(new ChoppedStream(data, new Random(seed))), new WebSocketCreationOptions
        {
            IsServer = true,
            KeepAliveInterval = TimeSpan.Zero,
        });
        var buffer = new byte[1024];
        // Each receive consumes input or ends the socket; the bound only turns a loop that does neither into a finding.
        for (var receives = 0; socket.State == WebSocketState.Open; receives++)
        {
            Check(receives <= data.Length + 1, "ManagedWebSocket over the stream keeps receiving without consuming input");
            var result = socket.ReceiveAsync(buffer, CancellationToken.None).GetAwaiter().GetResult();
            if (result.MessageType == WebSocketMessageType.Close)
            {
                break;
            }
        }
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(message);
        }
    }
}
