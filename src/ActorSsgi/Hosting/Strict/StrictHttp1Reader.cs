using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.Hosting.Strict;

/// <summary>
/// The connection's input as Kestrel reads it, validated by <see cref="StrictHttp1Parser"/> on the way: the
/// transport's buffers are handed on as they are (no copy), except that chunked framing is held back until the
/// parser has seen it whole. When the parser finds a violation, Kestrel gets what came before the offending unit
/// followed by the parser's <see cref="StrictHttp1Parser.Poison"/> and the end of input, so Kestrel's own parser
/// answers 400 with <c>Connection: close</c> after any pipelined responses before it, and the offending bytes never
/// reach it or a handler.
/// </summary>
internal sealed class StrictHttp1Reader : PipeReader
{
    private readonly PipeReader _inner;
    private readonly StrictHttp1Parser _parser = new();
    private readonly ILogger _logger;
    private readonly string _connectionId;

    private ReadOnlySequence<byte> _buffer; // the transport's last buffer
    private long _bufferStart;              // its first byte's offset in the connection
    private long _shownEnd;                 // offset of the end of what Kestrel was last shown
    private long _examined;                 // offset up to which Kestrel has looked
    private bool _passThrough;
    private ReadOnlySequence<byte>? _poisoned; // after a violation: the replacement input
    private bool _poisonExamined;              // Kestrel has looked at all of it

    /// <summary>Wraps a connection's input.</summary>
    public StrictHttp1Reader(PipeReader inner, ILogger logger, string connectionId)
    {
        _inner = inner;
        _logger = logger;
        _connectionId = connectionId;
    }

    /// <inheritdoc />
    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (_poisoned is { } poisoned)
        {
            return new ValueTask<ReadResult>(PoisonedRead(poisoned));
        }

        // Kestrel reads once per request; for every pipelined request after the first the transport already has the
        // bytes, so the read completes at once and is inspected here without an async state machine (in a profile of
        // pipelined plaintext the state machine cost more than the parser).
        var pending = _inner.ReadAsync(cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return ReadSlowAsync(pending, cancellationToken);
        }

        return Inspect(pending.Result, out var shown) ? new ValueTask<ReadResult>(shown) : ReadSlowAsync(default, cancellationToken, readAgain: true);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> ReadSlowAsync(ValueTask<ReadResult> pending, CancellationToken cancellationToken, bool readAgain = false)
    {
        if (!readAgain && Inspect(await pending.ConfigureAwait(false), out var first))
        {
            return first;
        }

        while (true)
        {
            var result = await _inner.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (Inspect(result, out var shown))
            {
                return shown;
            }
        }
    }

    /// <inheritdoc />
    public override bool TryRead(out ReadResult result)
    {
        if (_poisoned is { } poisoned)
        {
            result = PoisonedRead(poisoned);
            return true;
        }

        if (_inner.TryRead(out var read) && Inspect(read, out result))
        {
            return true;
        }

        result = default;
        return false;
    }

    /// <inheritdoc />
    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    /// <inheritdoc />
    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        if (_poisoned is { } poisoned)
        {
            _poisoned = poisoned.Slice(consumed);
            _poisonExamined = poisoned.Slice(examined).IsEmpty;
            return;
        }

        var consumedLength = _buffer.Slice(_buffer.Start, consumed).Length;
        var examinedEnd = _bufferStart + _buffer.Slice(_buffer.Start, examined).Length;
        // Having looked at all it was shown, Kestrel waits for more; so must the transport, past the held-back bytes.
        var innerExamined = examinedEnd >= _shownEnd ? _buffer.End : examined;
        _examined = examinedEnd;
        _bufferStart += consumedLength;
        _inner.AdvanceTo(consumed, innerExamined);
    }

    /// <inheritdoc />
    public override void CancelPendingRead() => _inner.CancelPendingRead();

    /// <inheritdoc />
    public override void Complete(Exception? exception = null) => _inner.Complete(exception);

    /// <inheritdoc />
    public override ValueTask CompleteAsync(Exception? exception = null) => _inner.CompleteAsync(exception);

    /// <summary>Feeds the new bytes of a transport read to the parser and decides what Kestrel is shown.</summary>
    /// <returns>False when there is nothing new to show yet (the transport was advanced and must be read again).</returns>
    private bool Inspect(in ReadResult read, out ReadResult shown)
    {
        _buffer = read.Buffer;
        var end = _bufferStart + _buffer.Length;
        if (!_passThrough && _parser.Processed < end)
        {
            var verdict = StrictVerdict.Continue;
            foreach (var segment in _buffer.Slice(_parser.Processed - _bufferStart))
            {
                verdict = _parser.Feed(segment.Span);
                if (verdict != StrictVerdict.Continue)
                {
                    break;
                }
            }

            if (verdict == StrictVerdict.Violation)
            {
                shown = Poison();
                return true;
            }

            _passThrough = verdict == StrictVerdict.PassThrough;
        }

        var safe = _passThrough || read.IsCompleted ? end : _parser.SafeEnd;
        if (safe <= _examined && !read.IsCompleted && !read.IsCanceled)
        {
            // Only held-back bytes are new: wait for the rest of the unit without waking Kestrel.
            _inner.AdvanceTo(_buffer.Start, _buffer.End);
            shown = default;
            return false;
        }

        _shownEnd = safe;
        shown = new ReadResult(safe == end ? _buffer : _buffer.Slice(0, safe - _bufferStart), read.IsCanceled, read.IsCompleted && safe == end);
        return true;
    }

    /// <summary>Replaces the input from the offending unit on, once: the only allocation, and only on a violation.</summary>
    private ReadResult Poison()
    {
        var keep = Math.Max(0, _parser.UnitStart - _bufferStart);
        var poison = _parser.Poison;
        var bytes = new byte[keep + poison.Length];
        _buffer.Slice(0, keep).CopyTo(bytes);
        poison.CopyTo(bytes.AsSpan((int)keep));
        _inner.AdvanceTo(_buffer.End);
        _poisoned = new ReadOnlySequence<byte>(bytes);
        StrictHttp1Log.Rejected(_logger, _connectionId, _parser.Reason, _parser.Processed);
        return PoisonedRead(_poisoned.Value);
    }

    /// <summary>
    /// The replacement input, not marked completed: Kestrel takes a completed input for the client's FIN and resets
    /// the connection, losing the responses to requests pipelined before the offending one. The poison is refused as
    /// soon as it is read, so the end is only reported if Kestrel asks again after looking at all of it.
    /// </summary>
    private ReadResult PoisonedRead(ReadOnlySequence<byte> poisoned) => new(poisoned, false, _poisonExamined);
}
