using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ActorSsgi.FunctionalTests.Fixtures;

/// <summary>
/// A hand-rolled HTTP/1.1 client over a plain socket: the test decides every byte that goes out and sees every byte
/// that comes back (pipelining, 100-continue, chunked framing, half-sent bodies). Every read has a deadline, so a
/// server that hangs fails the test instead of hanging it.
/// </summary>
public sealed class RawHttpConnection : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawHttpConnection(Socket socket) => _socket = socket;

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public IPEndPoint RemoteEndPoint => (IPEndPoint)_socket.RemoteEndPoint!;

    public static async Task<RawHttpConnection> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(DefaultTimeout);
            await socket.ConnectAsync(endPoint, timeout.Token);
            return new RawHttpConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public Task SendAsync(string ascii) => SendAsync(Encoding.ASCII.GetBytes(ascii));

    public async Task SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        while (!data.IsEmpty)
        {
            var sent = await _socket.SendAsync(data, SocketFlags.None, cancellationToken);
            data = data[sent..];
        }
    }

    /// <summary>Reads one whole response (head and body). <paramref name="headRequest"/>: the response has no body.</summary>
    public async Task<RawHttpResponse> ReadResponseAsync(bool headRequest = false, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var head = await ReadHeadAsync(cts.Token);
        var body = new ArrayBufferWriter<byte>();
        if (!headRequest)
        {
            await ReadBodyAsync(head, chunk => body.Write(chunk.Span), cts.Token);
        }

        return new RawHttpResponse(head, body.WrittenSpan.ToArray());
    }

    /// <summary>Reads a status line and headers, up to and including the blank line.</summary>
    public async Task<RawHttpHead> ReadHeadAsync(CancellationToken cancellationToken)
    {
        var statusLine = await ReadLineAsync(cancellationToken);
        var parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Not an HTTP status line: '{statusLine}'.");
        }

        var headers = new List<KeyValuePair<string, string>>();
        for (var line = await ReadLineAsync(cancellationToken); line.Length > 0; line = await ReadLineAsync(cancellationToken))
        {
            var colon = line.IndexOf(':');
            headers.Add(new(line[..colon], line[(colon + 1)..].Trim()));
        }

        return new RawHttpHead(parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture), parts.Length > 2 ? parts[2] : "", headers);
    }

    /// <summary>
    /// Streams the body of <paramref name="head"/> to <paramref name="sink"/>, de-framed: Content-Length, chunked, or
    /// (neither) until the server closes. The memory passed to the sink is only valid during the call.
    /// </summary>
    public async Task<long> ReadBodyAsync(RawHttpHead head, Action<ReadOnlyMemory<byte>> sink, CancellationToken cancellationToken)
    {
        if (head.Status is (>= 100 and < 200) or 204 or 304)
        {
            return 0;
        }

        if (head.IsChunked)
        {
            long total = 0;
            while (true)
            {
                var sizeLine = await ReadLineAsync(cancellationToken);
                var size = long.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    while ((await ReadLineAsync(cancellationToken)).Length > 0)
                    {
                        // Trailers: not used by these tests.
                    }

                    return total;
                }

                await ReadExactlyAsync(size, sink, cancellationToken);
                total += size;
                var crlf = await ReadLineAsync(cancellationToken);
                if (crlf.Length != 0)
                {
                    throw new InvalidDataException($"Chunk not followed by CRLF: '{crlf}'.");
                }
            }
        }

        if (head.ContentLength is { } length)
        {
            await ReadExactlyAsync(length, sink, cancellationToken);
            return length;
        }

        long read = 0;
        while (_start < _end || await FillAsync(cancellationToken))
        {
            read += _end - _start;
            sink(_buffer.AsMemory(_start, _end - _start));
            _start = _end;
        }

        return read;
    }

    /// <summary>Reads one CRLF-terminated line (without the CRLF), as Latin-1.</summary>
    public async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                throw new EndOfStreamException($"The server closed the connection in the middle of a line ('{line}').");
            }

            var span = _buffer.AsSpan(_start, _end - _start);
            var lf = span.IndexOf((byte)'\n');
            if (lf < 0)
            {
                line.Append(Encoding.Latin1.GetString(span));
                _start = _end;
                continue;
            }

            line.Append(Encoding.Latin1.GetString(span[..lf]));
            _start += lf + 1;
            if (line.Length > 0 && line[^1] == '\r')
            {
                line.Length--;
            }

            return line.ToString();
        }
    }

    /// <summary>
    /// Waits for the server to close the connection (end of stream or reset) and returns the bytes that came before.
    /// </summary>
    public async Task<byte[]> ReadToEndAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var data = new ArrayBufferWriter<byte>();
        try
        {
            while (_start < _end || await FillAsync(cts.Token))
            {
                data.Write(_buffer.AsSpan(_start, _end - _start));
                _start = _end;
            }
        }
        catch (SocketException)
        {
            // A reset also ends the connection.
        }

        return data.WrittenSpan.ToArray();
    }

    /// <summary>Bytes received but not consumed yet (a server sending more than it should shows up here).</summary>
    public int Buffered => _end - _start;

    /// <summary>Closes the socket with a reset instead of a FIN: the client vanished.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes, streamed to <paramref name="sink"/>.</summary>
    public async Task ReadExactlyAsync(long count, Action<ReadOnlyMemory<byte>> sink, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                throw new EndOfStreamException($"The server closed the connection with {count} body bytes still to come.");
            }

            var take = (int)Math.Min(count, _end - _start);
            sink(_buffer.AsMemory(_start, take));
            _start += take;
            count -= take;
        }
    }

    /// <summary>Refills the empty buffer; false at end of stream.</summary>
    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = _end = 0;
        var read = await _socket.ReceiveAsync(_buffer.AsMemory(), SocketFlags.None, cancellationToken);
        _end = read;
        return read > 0;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
