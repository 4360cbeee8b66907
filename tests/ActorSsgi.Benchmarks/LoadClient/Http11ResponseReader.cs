using System.Globalization;
using System.Text;

namespace LoadClient;

/// <summary>
/// Just enough HTTP/1.1 response parsing to count an echoed body: status line, headers, then a body framed by
/// Content-Length, chunked encoding, or connection close. Exists because HttpClient's HTTP/1.1 path waits for
/// the request body to finish sending before handing back the response, so it cannot drive a full-duplex echo
/// larger than the socket buffers.
/// </summary>
internal sealed class Http11ResponseReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private long? _contentLength;
    private bool _chunked;

    public int StatusCode { get; private set; }

    public async Task ReadHeadAsync(CancellationToken ct)
    {
        var statusLine = await ReadLineAsync(ct);
        var parts = statusLine.Split(' ', 3);
        StatusCode = parts.Length >= 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 0;
        string line;
        while ((line = await ReadLineAsync(ct)).Length > 0)
        {
            var colon = line.IndexOf(':');
            var name = colon > 0 ? line[..colon].Trim() : line;
            var value = colon > 0 ? line[(colon + 1)..].Trim() : "";
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                _contentLength = long.Parse(value, CultureInfo.InvariantCulture);
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                _chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    /// <summary>Reads the whole body, discarding it, and returns its decoded length.</summary>
    public async Task<long> DrainBodyAsync(CancellationToken ct)
    {
        if (_chunked)
        {
            long total = 0;
            while (true)
            {
                var sizeLine = await ReadLineAsync(ct);
                var size = long.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    while ((await ReadLineAsync(ct)).Length > 0)
                    {
                        // trailers, ignored
                    }
                    return total;
                }
                total += await SkipAsync(size, ct);
                await ReadLineAsync(ct); // CRLF after each chunk
            }
        }
        return await SkipAsync(_contentLength ?? long.MaxValue, ct);
    }

    private async Task<long> SkipAsync(long count, CancellationToken ct)
    {
        long skipped = 0;
        while (skipped < count)
        {
            if (_start == _end && !await FillAsync(ct))
            {
                break; // connection closed: with no framing that is the end of the body
            }
            var take = (int)Math.Min(count - skipped, _end - _start);
            _start += take;
            skipped += take;
        }
        return skipped;
    }

    private async Task<string> ReadLineAsync(CancellationToken ct)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end && !await FillAsync(ct))
            {
                throw new IOException("connection closed inside the response head or chunk framing");
            }
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            var stop = newline >= 0 ? newline : _end;
            line.Append(Encoding.ASCII.GetString(_buffer, _start, stop - _start));
            _start = newline >= 0 ? newline + 1 : _end;
            if (newline >= 0)
            {
                return line.ToString().TrimEnd('\r');
            }
        }
    }

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        _start = 0;
        _end = await stream.ReadAsync(_buffer, ct);
        return _end > 0;
    }
}
