using System.Text;

namespace LoadClient;

/// <summary>
/// Counts complete HTTP/1.1 responses in a byte stream that may split or join them anywhere: the status line and
/// headers up to the blank line, then a Content-Length body. Enough for the coldstart and fixedrate modes, which
/// drive GET /plaintext (always Content-Length framed); a chunked or unframed response is reported as an error.
/// Allocation-free per response, so the client's own cost stays small next to the server's.
/// </summary>
internal sealed class ResponseCounter
{
    private static ReadOnlySpan<byte> ContentLength => "content-length:"u8;

    // Parser state carried across reads.
    private int _headLength;       // bytes of the current head seen so far (for the 64 KiB sanity bound)
    private int _crlfMatch;        // how much of "\r\n\r\n" the last bytes matched
    private long _bodyLeft = -1;   // >= 0 while skipping a body
    private long _contentLength = -1;
    private int _status;           // the current response's status code, 0 until read
    private int _statusDigits;     // digits of the status code read so far (it follows "HTTP/1.1 ")
    private int _headerLineStart;  // offset of the current header line within the head (lines seen in _line)
    private readonly byte[] _line = new byte[256];
    private int _lineLength;

    /// <summary>Responses with a status outside 200-399, counted since construction.</summary>
    public long Non2xx { get; private set; }

    /// <summary>Feeds <paramref name="data"/>; returns how many responses completed in it.</summary>
    public int Feed(ReadOnlySpan<byte> data)
    {
        var completed = 0;
        var i = 0;
        while (i < data.Length)
        {
            if (_bodyLeft >= 0)
            {
                var take = (int)Math.Min(_bodyLeft, data.Length - i);
                i += take;
                _bodyLeft -= take;
                if (_bodyLeft == 0)
                {
                    completed++;
                    Reset();
                }
                continue;
            }

            var b = data[i++];
            HeadByte(b);
            if (_bodyLeft == 0)
            {
                completed++; // Content-Length: 0
                Reset();
            }
        }
        return completed;
    }

    private void HeadByte(byte b)
    {
        if (++_headLength > 64 * 1024)
        {
            throw new InvalidDataException("response head over 64 KiB: not an HTTP/1.1 response stream");
        }
        // The status code: three digits after the first space.
        if (_statusDigits < 3 && _headerLineStart == 0)
        {
            if (_lineLength >= 9 && b is >= (byte)'0' and <= (byte)'9')
            {
                _status = _status * 10 + (b - '0');
                _statusDigits++;
            }
        }
        if (b == '\n')
        {
            ParseHeaderLine();
            _headerLineStart = _headLength;
            _lineLength = 0;
        }
        else if (b != '\r' && _lineLength < _line.Length)
        {
            _line[_lineLength++] = b;
        }
        else if (b != '\r')
        {
            _lineLength = _line.Length; // long line: only its start matters (header name)
        }

        _crlfMatch = b == (byte)"\r\n\r\n"[_crlfMatch] ? _crlfMatch + 1 : (b == '\r' ? 1 : 0);
        if (_crlfMatch == 4)
        {
            if (_contentLength < 0)
            {
                throw new InvalidDataException("response without Content-Length: only Content-Length framing is counted");
            }
            if (_status is < 200 or > 399)
            {
                Non2xx++;
            }
            _bodyLeft = _contentLength;
        }
    }

    private void ParseHeaderLine()
    {
        var line = _line.AsSpan(0, Math.Min(_lineLength, _line.Length));
        if (line.Length > ContentLength.Length && Ascii.EqualsIgnoreCase(line[..ContentLength.Length], ContentLength))
        {
            long value = 0;
            foreach (var c in line[ContentLength.Length..])
            {
                if (c is >= (byte)'0' and <= (byte)'9')
                {
                    value = value * 10 + (c - '0');
                }
            }
            _contentLength = value;
        }
    }

    private void Reset()
    {
        _headLength = 0;
        _crlfMatch = 0;
        _bodyLeft = -1;
        _contentLength = -1;
        _status = 0;
        _statusDigits = 0;
        _headerLineStart = 0;
        _lineLength = 0;
    }
}
