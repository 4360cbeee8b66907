namespace ActorSsgi.WebSockets;

/// <summary>
/// Sits between Kestrel's upgraded stream and ManagedWebSocket and follows the client's frame headers, because
/// ManagedWebSocket accepts unmasked client frames that RFC 6455 (5.1) says a server must refuse with 1002. On
/// the first unmasked frame it reports end of stream; the session then sends the 1002 close itself.
/// </summary>
internal sealed class MaskCheckingStream : Stream
{
    private readonly Stream _inner;

    // Parser state over the client's bytes: where the next frame header starts and how much of it we have.
    private long _payloadLeft;
    private int _headerRead;
    private int _headerNeeded = 2;
    private readonly byte[] _header = new byte[14];

    public MaskCheckingStream(Stream inner) => _inner = inner;

    /// <summary>The client sent an unmasked frame: the connection must be closed with 1002.</summary>
    public bool UnmaskedFrameSeen { get; private set; }

    public Stream Inner => _inner;

    // Pooled: a read that waits for the client would otherwise allocate its state machine, once per message of an
    // active session. ManagedWebSocket has one read outstanding and awaits it once, as pooling requires.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (UnmaskedFrameSeen)
        {
            return 0;
        }

        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Inspect(buffer.Span[..read]);
        return UnmaskedFrameSeen ? 0 : read;
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    private void Inspect(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty && !UnmaskedFrameSeen)
        {
            if (_payloadLeft > 0)
            {
                var skip = (int)Math.Min(_payloadLeft, data.Length);
                _payloadLeft -= skip;
                data = data[skip..];
                continue;
            }

            _header[_headerRead++] = data[0];
            data = data[1..];
            if (_headerRead == 2)
            {
                if ((_header[1] & 0x80) == 0)
                {
                    UnmaskedFrameSeen = true;
                    return;
                }

                var length = _header[1] & 0x7F;
                _headerNeeded = 2 + (length == 126 ? 2 : length == 127 ? 8 : 0) + 4;
            }

            if (_headerRead >= 2 && _headerRead == _headerNeeded)
            {
                var length = _header[1] & 0x7F;
                _payloadLeft = length switch
                {
                    126 => (_header[2] << 8) | _header[3],
                    // RFC 6455 5.2 wants the top bit clear; cast as it came, such a length went negative, and the
                    // frame's payload was parsed as headers (found by fuzzing, docs/fuzzing.md). Saturated, it covers
                    // the rest of the connection, as it claims: ManagedWebSocket refuses the frame with 1002 itself.
                    127 => (long)Math.Min(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2, 8)), long.MaxValue),
                    _ => length,
                };
                _headerRead = 0;
                _headerNeeded = 2;
            }
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _inner.WriteAsync(buffer, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override void Flush() => _inner.Flush();

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
