using System.Text;
using ActorSsgi.FunctionalTests.Fixtures;

namespace ActorSsgi.FunctionalTests.Raw;

[Collection(DemoServerCollection.Name)]
public sealed class ChunkedRequestSpec(SharedDemoServer shared)
{
    [Fact]
    public async Task A_hand_framed_chunked_body_with_extensions_and_trailers_reaches_the_handler_whole()
    {
        await using var connection = await shared.Server.ConnectAsync();

        await connection.SendAsync(
            "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "5\r\nHello\r\n" +
            "2;name=value\r\n, \r\n" +
            "A\r\n0123456789\r\n" +
            "0\r\nX-Trailer: done\r\n\r\n");
        var response = await connection.ReadResponseAsync();
        var echo = Echo.Parse(response.Body);

        Assert.Equal(200, response.Status);
        Assert.Equal("Hello, 0123456789", Encoding.ASCII.GetString(echo.Body));
        Assert.Equal("chunked", echo.Headers["transfer-encoding"]);
    }

    [Fact]
    public async Task A_hand_framed_chunked_upload_to_stream_comes_back_chunked_and_byte_exact()
    {
        await using var connection = await shared.Server.ConnectAsync();
        var pieces = new[] { 1, 100, 4096, 65_536, 70_000, 3 }.Select(n => Http.StreamSpec.RandomBytes(n)).ToArray();
        var frame = new MemoryStream();
        frame.Write(Encoding.ASCII.GetBytes("POST /stream HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
        foreach (var piece in pieces)
        {
            frame.Write(Encoding.ASCII.GetBytes($"{piece.Length:x}\r\n"));
            frame.Write(piece);
            frame.Write("\r\n"u8);
        }

        frame.Write("0\r\n\r\n"u8);

        await connection.SendAsync(frame.ToArray());
        var response = await connection.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        Assert.True(response.Head.IsChunked, "the response to a chunked upload should be chunked");
        Assert.Null(response.Header("content-length"));
        Assert.Equal(pieces.SelectMany(p => p).ToArray(), response.Body);
    }

    [Fact]
    public async Task A_malformed_chunk_size_gets_400()
    {
        await using var connection = await shared.Server.ConnectAsync();

        await connection.SendAsync("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nhello\r\n0\r\n\r\n");
        var response = await connection.ReadResponseAsync();

        Assert.Equal(400, response.Status);
    }
}
