using System.Text;

namespace ActorSsgi.Hosting.Strict;

/// <summary>
/// The strict HTTP/1.1 filter's state machine over one connection's request bytes, fed in pieces as they arrive (a
/// state persists across pieces, so a head, a chunk line or a pipelined request may be split anywhere). It only
/// reads: bodies are skipped by length, never copied. Offsets are counted from the connection's first byte.
/// </summary>
internal sealed partial class StrictHttp1Parser
{
    private const int NameCapacity = 24;
    private const int ValueCapacity = 1024;

    private static readonly ulong Http11 = Fold("HTTP/1.1"u8);
    private static readonly ulong Http10 = Fold("HTTP/1.0"u8);
    private static readonly ulong ConnectSp = FoldFirst("CONNECT "u8);

    private readonly byte[] _name = new byte[NameCapacity];
    private readonly byte[] _value = new byte[ValueCapacity];

    private State _state;
    private int _lineLength;
    private ulong _first8;
    private ulong _last8;
    private int _nameLength;
    private int _valueLength;
    private Http1FieldRules.Field _field;
    private bool _trailers;
    private bool _chunkedPoison;

    // The head's framing facts.
    private bool _version11;
    private bool _connect;
    private int _hostCount;
    private long _contentLength;
    private bool _transferEncoding;
    private bool _chunked;
    private bool _upgrade;

    private enum State : byte
    {
        RequestStart, LeadingLf, RequestLine, RequestLineLf, FieldStart, FieldName, FieldValue, FieldLf, HeadLf,
        ContentBody, ChunkSize, SizeBws, ExtNameStart, ExtName, AfterNameBws, ExtValueStart, ExtToken, Quoted,
        QuotedEscape, AfterValue, AfterValueBws, ChunkLf, ChunkData, ChunkDataCr, ChunkDataLf, PassThrough, Rejected,
    }

    /// <summary>Offset of the next byte to feed; after a violation, of the offending byte.</summary>
    public long Processed { get; private set; }

    /// <summary>
    /// Offset where the unit being read began (a head line, a chunk line, a chunk's CRLF, or the last chunk with its
    /// trailers). A violation replaces the input from here on, so Kestrel must not have consumed past it.
    /// </summary>
    public long UnitStart { get; private set; }

    /// <summary>
    /// How far Kestrel may see: chunked framing is held back until it is whole, because Kestrel's chunk parser
    /// consumes a chunk line piece by piece; a head is shown as it is validated, since Kestrel consumes whole lines only.
    /// </summary>
    public long SafeEnd => HoldsBack ? UnitStart : Processed;

    /// <summary>Whether the current unit is chunked framing, which is held back (see <see cref="SafeEnd"/>).</summary>
    public bool HoldsBack => _state is >= State.ChunkSize and <= State.ChunkLf or State.ChunkDataCr or State.ChunkDataLf || _trailers;

    /// <summary>
    /// What replaces the input from <see cref="UnitStart"/> after a violation, chosen so that Kestrel's own parser
    /// rejects it with 400 and closes the connection: in a head, a line without a colon; in chunked framing, a chunk
    /// size that is not hexadecimal.
    /// </summary>
    public ReadOnlySpan<byte> Poison => _chunkedPoison ? "X\r\n"u8 : "\u0001\r\n\r\n"u8;

    /// <summary>Why the input was rejected, after <see cref="StrictVerdict.Violation"/>.</summary>
    public string? Reason { get; private set; }

    private bool InChunkedBody => _state is >= State.ChunkSize and <= State.ChunkDataLf || _trailers;

    /// <summary>Reads the next piece of the connection's input.</summary>
    /// <param name="data">The bytes that follow the ones fed before.</param>
    /// <returns>The verdict; after a violation or pass-through, nothing more need be fed.</returns>
    public StrictVerdict Feed(ReadOnlySpan<byte> data)
    {
        if (_state == State.Rejected)
        {
            return StrictVerdict.Violation;
        }

        if (_state == State.PassThrough)
        {
            Processed += data.Length;
            return StrictVerdict.PassThrough;
        }

        var pos = 0;
        while (pos < data.Length)
        {
            // A held-back unit is read no further than its capacity, so it is refused at the same byte (the first
            // past the capacity) however the input is split, and never accepted because it arrived in one read.
            var view = data;
            if (HoldsBack)
            {
                var room = UnitStart + (_trailers ? TrailerCapacity : ChunkLineCapacity) - (Processed + pos);
                if (room <= 0)
                {
                    return Reject(pos, _trailers ? "trailer section too long" : "chunk line too long");
                }

                view = data[..(int)Math.Min(data.Length, pos + room)];
            }

            var b = data[pos];
            switch (_state)
            {
                case State.RequestStart:
                    if (b == '\r')
                    {
                        UnitStart = Processed + pos;
                        _state = State.LeadingLf;
                        pos++;
                        break;
                    }

                    if (b == '\n')
                    {
                        UnitStart = Processed + pos;
                        return Reject(pos, "bare LF before the request line");
                    }

                    StartRequest(Processed + pos);
                    break;
                case State.LeadingLf:
                    if (b != '\n')
                    {
                        return Reject(pos, "bare CR before the request line");
                    }

                    _state = State.RequestStart;
                    pos++;
                    break;
                case State.RequestLine:
                {
                    var run = Run(view[pos..], Http1Chars.RequestLine);
                    CaptureRequestLine(view.Slice(pos, run));
                    pos += run;
                    if (pos == view.Length)
                    {
                        break;
                    }

                    if (view[pos] != '\r')
                    {
                        return Reject(pos, view[pos] == '#' ? "fragment in the request target" : "control character or bare LF in the request line");
                    }

                    _state = State.RequestLineLf;
                    pos++;
                    break;
                }

                case State.RequestLineLf:
                    if (b != '\n')
                    {
                        return Reject(pos, "bare CR in the request line");
                    }

                    pos++;
                    if (!(_version11 = _last8 == Http11) && _last8 != Http10)
                    {
                        // HTTP/2.0 (the h2 preface) or a version Kestrel answers itself (505 or 400).
                        return PassThrough(data, pos);
                    }

                    _connect = _lineLength >= 8 && _first8 == ConnectSp;
                    StartLine(State.FieldStart, pos);
                    break;
                case State.FieldStart:
                    if (b == '\r')
                    {
                        _state = State.HeadLf;
                        pos++;
                    }
                    else if (b is (byte)' ' or (byte)'\t')
                    {
                        return Reject(pos, "obs-fold (a field line starting with whitespace)");
                    }
                    else if (!Http1Chars.IsToken(b))
                    {
                        return Reject(pos, b == '\n' ? "bare LF in the head" : "invalid field name");
                    }
                    else
                    {
                        _nameLength = 0;
                        _state = State.FieldName;
                    }

                    break;
                case State.FieldName:
                {
                    var run = Run(view[pos..], Http1Chars.Token);
                    var name = view.Slice(pos, run);
                    if (_nameLength + run <= NameCapacity)
                    {
                        name.CopyTo(_name.AsSpan(_nameLength));
                    }

                    _nameLength += run;
                    pos += run;
                    if (pos == view.Length)
                    {
                        break;
                    }

                    if (view[pos] != ':')
                    {
                        return Reject(pos, view[pos] is (byte)' ' or (byte)'\t' ? "whitespace between field name and colon" : "invalid field name");
                    }

                    _field = _trailers || _nameLength > NameCapacity ? Http1FieldRules.Field.Other : Http1FieldRules.Classify(_name.AsSpan(0, _nameLength));
                    _valueLength = 0;
                    _state = State.FieldValue;
                    pos++;
                    break;
                }

                case State.FieldValue:
                {
                    var run = Run(view[pos..], Http1Chars.FieldValue);
                    if (_field != Http1FieldRules.Field.Other)
                    {
                        var copy = Math.Min(run, ValueCapacity - Math.Min(_valueLength, ValueCapacity));
                        view.Slice(pos, copy).CopyTo(_value.AsSpan(Math.Min(_valueLength, ValueCapacity)));
                        _valueLength += run;
                    }

                    pos += run;
                    if (pos == view.Length)
                    {
                        break;
                    }

                    if (view[pos] != '\r')
                    {
                        return Reject(pos, "control character or bare LF in a field value");
                    }

                    if (FieldError() is { } error)
                    {
                        return Reject(pos, error);
                    }

                    _state = State.FieldLf;
                    pos++;
                    break;
                }

                case State.FieldLf:
                    if (b != '\n')
                    {
                        return Reject(pos, "bare CR in the head");
                    }

                    pos++;
                    if (_trailers)
                    {
                        _state = State.FieldStart;
                    }
                    else
                    {
                        StartLine(State.FieldStart, pos);
                    }

                    break;
                case State.HeadLf:
                    if (b != '\n')
                    {
                        return Reject(pos, "bare CR in the head");
                    }

                    if (_trailers)
                    {
                        _trailers = false;
                        pos++;
                        _state = State.RequestStart;
                        break;
                    }

                    if (HeadError() is { } headError)
                    {
                        return Reject(pos, headError);
                    }

                    pos++;
                    if (_upgrade || _connect)
                    {
                        return PassThrough(data, pos);
                    }

                    if (_chunked)
                    {
                        StartChunkLine(pos);
                    }
                    else if (_contentLength > 0)
                    {
                        _remaining = _contentLength;
                        _state = State.ContentBody;
                    }
                    else
                    {
                        _state = State.RequestStart;
                    }

                    break;
                case State.ContentBody:
                {
                    var skip = (int)Math.Min(_remaining, view.Length - pos);
                    _remaining -= skip;
                    pos += skip;
                    if (_remaining == 0)
                    {
                        _state = State.RequestStart;
                    }

                    break;
                }

                case State.Rejected:
                    return StrictVerdict.Violation;
                default:
                    if (FeedChunked(view, ref pos) is { } error2)
                    {
                        return Reject(pos, error2);
                    }

                    break;
            }
        }

        Processed += data.Length;
        return StrictVerdict.Continue;
    }
}
