using System.Buffers.Binary;
using System.Text;

namespace ActorSsgi.Hosting.Strict;

/// <summary>The parser's line bookkeeping and the checks it applies when a line or a head ends.</summary>
internal sealed partial class StrictHttp1Parser
{
    private static int Run(ReadOnlySpan<byte> data, System.Buffers.SearchValues<byte> allowed)
    {
        var index = data.IndexOfAnyExcept(allowed);
        return index < 0 ? data.Length : index;
    }

    private static ulong Fold(ReadOnlySpan<byte> bytes)
    {
        ulong value = 0;
        foreach (var b in bytes)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    private static ulong FoldFirst(ReadOnlySpan<byte> bytes)
    {
        ulong value = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            value |= (ulong)bytes[i] << (8 * i);
        }

        return value;
    }

    private void StartRequest(long offset)
    {
        _lineLength = 0;
        _first8 = _last8 = 0;
        _hostCount = 0;
        _contentLength = -1;
        _transferEncoding = _chunked = _upgrade = _connect = false;
        UnitStart = offset;
        _state = State.RequestLine;
    }

    private void StartLine(State state, int pos)
    {
        UnitStart = Processed + pos;
        _state = state;
    }

    private void CaptureRequestLine(ReadOnlySpan<byte> run)
    {
        if (_lineLength == 0 && run.Length >= 8)
        {
            // The usual case, a whole request line in one read: two loads instead of a loop over sixteen bytes.
            _first8 = BinaryPrimitives.ReadUInt64LittleEndian(run);
            _last8 = BinaryPrimitives.ReadUInt64BigEndian(run[^8..]);
            _lineLength = run.Length;
            return;
        }

        for (var i = 0; i < run.Length && _lineLength + i < 8; i++)
        {
            _first8 |= (ulong)run[i] << (8 * (_lineLength + i));
        }

        foreach (var b in run.Length > 8 ? run[^8..] : run)
        {
            _last8 = (_last8 << 8) | b;
        }

        _lineLength += run.Length;
    }

    private string? FieldError()
    {
        if (_field == Http1FieldRules.Field.Other)
        {
            return null;
        }

        var overflow = _valueLength > ValueCapacity;
        var value = _value.AsSpan(0, Math.Min(_valueLength, ValueCapacity));
        switch (_field)
        {
            case Http1FieldRules.Field.Host:
                if (++_hostCount > 1)
                {
                    return "more than one Host";
                }

                return overflow || Http1FieldRules.IsValidHost(value) ? null : "empty or invalid Host";
            case Http1FieldRules.Field.ContentLength:
                if (_contentLength >= 0)
                {
                    return "more than one Content-Length";
                }

                return !overflow && Http1FieldRules.TryContentLength(value, out _contentLength) ? null : "invalid Content-Length";
            case Http1FieldRules.Field.TransferEncoding:
                var coding = overflow ? Http1FieldRules.Coding.Invalid : Http1FieldRules.TransferEncoding(value);
                if (coding == Http1FieldRules.Coding.Invalid || _chunked)
                {
                    return "invalid Transfer-Encoding";
                }

                _transferEncoding = true;
                _chunked = coding == Http1FieldRules.Coding.Chunked;
                return null;
            default:
                _upgrade = true;
                return null;
        }
    }

    private string? HeadError()
    {
        if (_version11 && _hostCount == 0)
        {
            return "no Host in an HTTP/1.1 request";
        }

        if (_transferEncoding && _contentLength >= 0)
        {
            return "both Transfer-Encoding and Content-Length";
        }

        if (_transferEncoding && !_version11)
        {
            return "Transfer-Encoding in an HTTP/1.0 request";
        }

        return _transferEncoding && !_chunked ? "the final transfer coding is not chunked" : null;
    }

    private StrictVerdict Reject(int pos, string reason)
    {
        _chunkedPoison = InChunkedBody;
        Processed += pos;
        Reason = reason;
        _state = State.Rejected;
        return StrictVerdict.Violation;
    }

    private StrictVerdict PassThrough(ReadOnlySpan<byte> data, int pos)
    {
        _ = pos;
        _trailers = false;
        _state = State.PassThrough;
        Processed += data.Length;
        return StrictVerdict.PassThrough;
    }
}
