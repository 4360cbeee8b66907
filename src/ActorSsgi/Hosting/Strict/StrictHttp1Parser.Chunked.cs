namespace ActorSsgi.Hosting.Strict;

/// <summary>
/// The chunked-body half of the state machine (RFC 9112 7.1): chunk sizes, extensions, the CRLF after each chunk's
/// data, and the trailer section; the data itself is skipped by count.
/// </summary>
internal sealed partial class StrictHttp1Parser
{
    /// <summary>Longest chunk line (size and extensions) held back before it is refused.</summary>
    private const int ChunkLineCapacity = 4096;

    /// <summary>Longest last chunk with its trailer section held back before it is refused.</summary>
    private const int TrailerCapacity = 16 * 1024;

    private long _remaining;
    private long _chunkSize;
    private int _sizeDigits;

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t';

    private void StartChunkLine(int pos)
    {
        _chunkSize = 0;
        _sizeDigits = 0;
        StartLine(State.ChunkSize, pos);
    }

    /// <summary>One step of the chunked states: <c>chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF</c>.</summary>
    /// <returns>Why the input is invalid, or null.</returns>
    private string? FeedChunked(ReadOnlySpan<byte> data, ref int pos)
    {
        var b = data[pos];
        switch (_state)
        {
            case State.ChunkSize:
                var digit = Http1Chars.HexValue(b);
                if (digit >= 0)
                {
                    if (_chunkSize > (long.MaxValue >> 4))
                    {
                        return "chunk size overflow";
                    }

                    _chunkSize = (_chunkSize << 4) | (long)digit;
                    _sizeDigits++;
                    break;
                }

                if (_sizeDigits == 0)
                {
                    return "chunk size is not hexadecimal";
                }

                return Next(ref pos, b switch
                {
                    (byte)';' => State.ExtNameStart,
                    (byte)' ' or (byte)'\t' => State.SizeBws,
                    (byte)'\r' => State.ChunkLf,
                    _ => State.Rejected,
                }, "invalid character after the chunk size");
            case State.SizeBws:
            case State.AfterValueBws:
                // BWS must lead to the next ";": whitespace before the line's CRLF is not in the grammar.
                return IsWhitespace(b) ? Stay(ref pos) : b == ';' ? Next(ref pos, State.ExtNameStart, null) : "whitespace without a chunk extension";
            case State.ExtNameStart:
                return IsWhitespace(b) ? Stay(ref pos) : Http1Chars.IsToken(b) ? Next(ref pos, State.ExtName, null) : "chunk extension without a name (bare ';')";
            case State.ExtName:
            case State.ExtToken:
                if (Http1Chars.IsToken(b))
                {
                    break;
                }

                return Next(ref pos, b switch
                {
                    (byte)';' => State.ExtNameStart,
                    (byte)'=' when _state == State.ExtName => State.ExtValueStart,
                    (byte)' ' or (byte)'\t' => _state == State.ExtName ? State.AfterNameBws : State.AfterValueBws,
                    (byte)'\r' => State.ChunkLf,
                    _ => State.Rejected,
                }, "invalid character in a chunk extension");
            case State.AfterNameBws:
                return IsWhitespace(b) ? Stay(ref pos) : Next(ref pos, b switch
                {
                    (byte)';' => State.ExtNameStart,
                    (byte)'=' => State.ExtValueStart,
                    _ => State.Rejected,
                }, "invalid character in a chunk extension");
            case State.ExtValueStart:
                return IsWhitespace(b) ? Stay(ref pos)
                    : b == '"' ? Next(ref pos, State.Quoted, null)
                    : Http1Chars.IsToken(b) ? Next(ref pos, State.ExtToken, null)
                    : "chunk extension value is neither a token nor a quoted string";
            case State.Quoted:
            {
                var run = Run(data[pos..], Http1Chars.QuotedText);
                pos += run;
                if (pos == data.Length)
                {
                    return null;
                }

                b = data[pos];
                return b == '"' ? Next(ref pos, State.AfterValue, null) : b == '\\' ? Next(ref pos, State.QuotedEscape, null) : "control character in a chunk extension";
            }

            case State.QuotedEscape:
                return Http1Chars.IsQuotable(b) ? Next(ref pos, State.Quoted, null) : "control character in a chunk extension";
            case State.AfterValue:
                return Next(ref pos, b switch
                {
                    (byte)';' => State.ExtNameStart,
                    (byte)' ' or (byte)'\t' => State.AfterValueBws,
                    (byte)'\r' => State.ChunkLf,
                    _ => State.Rejected,
                }, "invalid character after a chunk extension");
            case State.ChunkLf:
                if (b != '\n')
                {
                    return "bare CR in a chunk line";
                }

                pos++;
                if (_chunkSize == 0)
                {
                    // The last chunk: the trailer section follows, held back with it until its empty line.
                    _trailers = true;
                    _state = State.FieldStart;
                }
                else
                {
                    _remaining = _chunkSize;
                    _state = State.ChunkData;
                }

                return null;
            case State.ChunkData:
            {
                var skip = (int)Math.Min(_remaining, data.Length - pos);
                _remaining -= skip;
                pos += skip;
                if (_remaining == 0)
                {
                    StartLine(State.ChunkDataCr, pos);
                }

                return null;
            }

            case State.ChunkDataCr:
                return b == '\r' ? Next(ref pos, State.ChunkDataLf, null) : "no CRLF after the chunk data";
            case State.ChunkDataLf:
                if (b != '\n')
                {
                    return "no CRLF after the chunk data";
                }

                StartChunkLine(pos + 1);
                pos++;
                return null;
        }

        pos++;
        return null;

        static string? Stay(ref int pos)
        {
            pos++;
            return null;
        }

        string? Next(ref int pos, State state, string? error)
        {
            if (state == State.Rejected)
            {
                return error;
            }

            _state = state;
            pos++;
            return null;
        }
    }
}
