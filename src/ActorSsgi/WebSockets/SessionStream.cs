using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Features;

namespace ActorSsgi.WebSockets;

/// <summary>
/// The upgraded connection's stream as the session's WebSocket sees it. ManagedWebSocket gives up on a connection
/// (keep-alive timeout: no pong within IdleTimeout) by moving to <see cref="WebSocketState.Aborted"/> and disposing
/// its stream, and so does <see cref="WebSocket.Abort"/>; Kestrel's upgrade and extended-CONNECT streams ignore
/// that: a pending read stays pending, the connection stays open and the session never ends. So this stream, when
/// disposed by an aborted socket that never sent a close frame, aborts the request (the connection for HTTP/1.1,
/// the stream for HTTP/2), and the session calls <see cref="AbortRequest"/> where it gives up itself (close
/// timeout, failed write). A socket that sent a close frame before aborting (ManagedWebSocket's 1002/1007 after a
/// protocol error, the session's raw 1002) leaves the connection to Kestrel, which finishes it once the session
/// completed the request: aborting could drop that last frame.
/// </summary>
internal sealed class SessionStream : Stream
{
    private const int CloseOpcode = 0x8;

    private readonly Stream _inner;
    private IHttpRequestLifetimeFeature? _lifetime;
    // The status code of the close frame that went out; 0 while none has.
    private volatile int _closeCodeWritten;

    public SessionStream(Stream inner, IHttpRequestLifetimeFeature? lifetime)
    {
        _inner = inner;
        _lifetime = lifetime;
    }

    /// <summary>The socket reading and writing this stream; its state decides what disposing means.</summary>
    public WebSocket? Socket { get; set; }

    /// <summary>Aborts the request at once (the connection for HTTP/1.1); pending reads and writes fail.</summary>
    public void AbortRequest()
    {
        if (Interlocked.Exchange(ref _lifetime, null) is { } lifetime)
        {
            lifetime.Abort();
        }
    }

    /// <summary>Kestrel is done with the request (its features may serve another one): never abort it from now on.</summary>
    public void Detach() => Interlocked.Exchange(ref _lifetime, null);

    /// <summary>Whether a close frame went out on this connection (ours, or ManagedWebSocket's after a protocol error).</summary>
    public bool CloseFrameWritten => _closeCodeWritten != 0;

    /// <summary>The status code of the close frame that went out (1005 for one without a code), or null.</summary>
    public int? CloseCodeWritten => _closeCodeWritten is var code and not 0 ? code : null;

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => _inner.Read(buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _inner.ReadAsync(buffer, cancellationToken);

    // ManagedWebSocket writes every frame, header and payload, in one write; so does the session's raw close. A
    // close frame counts as written once its write completed.
    public override void Write(byte[] buffer, int offset, int count)
    {
        _inner.Write(buffer, offset, count);
        Track(buffer.AsSpan(offset, count));
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _inner.Write(buffer);
        Track(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var write = _inner.WriteAsync(buffer, cancellationToken);
        if (!IsClose(buffer.Span))
        {
            return write;
        }

        var code = CloseCode(buffer.Span);
        if (write.IsCompletedSuccessfully)
        {
            Written(code);
            return default;
        }

        return AwaitCloseAsync(write, code);
    }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (!CloseFrameWritten && Socket is { State: WebSocketState.Aborted })
            {
                AbortRequest();
            }

            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
        return default;
    }

    private static bool IsClose(ReadOnlySpan<byte> frame) => !frame.IsEmpty && (frame[0] & 0x0F) == CloseOpcode;

    // A server frame is unmasked and a close payload is at most 125 bytes: the code is bytes 2 and 3.
    private static int CloseCode(ReadOnlySpan<byte> frame) =>
        frame.Length >= 4 && (frame[1] & 0x7F) >= 2 ? (frame[2] << 8) | frame[3] : 1005;

    // A code on the wire is 1000 or more (1005 stands for none), so 0 stays free for "not written".
    private void Written(int code) => _closeCodeWritten = code;

    private void Track(ReadOnlySpan<byte> frame)
    {
        if (IsClose(frame))
        {
            Written(CloseCode(frame));
        }
    }

    private async ValueTask AwaitCloseAsync(ValueTask write, int code)
    {
        await write.ConfigureAwait(false);
        Written(code);
    }
}
