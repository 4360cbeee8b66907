using System.Net;
using System.Text;
using ActorSsgi.FunctionalTests.Fixtures;

namespace ActorSsgi.FunctionalTests.Files;

/// <summary>
/// File responses seen byte by byte over raw TCP: HEAD, a SendFile range inside a chunked body, a client that
/// vanishes mid-file, and the demo's <c>/static/</c> route.
/// </summary>
public sealed class FileResponseRawSpec : IClassFixture<FileServerFixture>
{
    private readonly FileServerFixture _files;

    public FileResponseRawSpec(FileServerFixture files) => _files = files;

    [Fact]
    public async Task A_head_request_gets_the_get_headers_with_the_full_length_and_no_body()
    {
        await using var connection = await _files.Server.ConnectAsync();

        await connection.SendAsync($"HEAD {FileServer.Serve("big.bin")} HTTP/1.1\r\nHost: t\r\n\r\n");
        var head = await connection.ReadResponseAsync(headRequest: true);
        // The same connection answers next: had a body been sent, this would read its bytes as a status line.
        await connection.SendAsync($"GET {FileServer.Serve("hello.txt")} HTTP/1.1\r\nHost: t\r\n\r\n");
        var next = await connection.ReadResponseAsync();

        Assert.Equal(200, head.Status);
        Assert.Equal(_files.Binary.Length, head.Head.ContentLength);
        Assert.NotNull(head.Header("etag"));
        Assert.Equal("bytes", head.Header("accept-ranges"));
        Assert.Equal(200, next.Status);
        Assert.Equal(_files.Text, next.Body);
    }

    [Fact]
    public async Task A_head_request_ignores_range_and_describes_the_whole_file()
    {
        await using var connection = await _files.Server.ConnectAsync();

        await connection.SendAsync($"HEAD {FileServer.Serve("hello.txt")} HTTP/1.1\r\nHost: t\r\nRange: bytes=0-1\r\n\r\n");
        var head = await connection.ReadResponseAsync(headRequest: true);

        Assert.Equal(200, head.Status);
        Assert.Equal(_files.Text.Length, head.Head.ContentLength);
    }

    [Fact]
    public async Task Send_file_writes_a_range_between_chunks_of_a_chunked_response()
    {
        await using var connection = await _files.Server.ConnectAsync();

        await connection.SendAsync("GET /chunked-range?path=big.bin&offset=1000&count=70000 HTTP/1.1\r\nHost: t\r\n\r\n");
        var response = await connection.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        Assert.True(response.Head.IsChunked);
        var expected = "<<"u8.ToArray().Concat(_files.Binary[1000..71000]).Concat(">>"u8.ToArray()).ToArray();
        Assert.Equal(expected.Length, response.Body.Length);
        Assert.True(expected.AsSpan().SequenceEqual(response.Body));
    }

    [Fact]
    public async Task A_client_that_resets_mid_file_ends_serve_file_and_the_server_keeps_serving()
    {
        // Sparse, so it costs no disk; far larger than the socket buffers, so the reset lands mid-file.
        var huge = Path.Combine(_files.Server.Root, "huge.bin");
        using (var stream = File.Create(huge))
        {
            stream.SetLength(256L * 1024 * 1024);
        }

        var connection = await _files.Server.ConnectAsync();
        await connection.SendAsync($"GET {FileServer.Serve("huge.bin")} HTTP/1.1\r\nHost: t\r\n\r\n");
        using (var cts = new CancellationTokenSource(RawHttpConnection.DefaultTimeout))
        {
            var head = await connection.ReadHeadAsync(cts.Token);
            Assert.Equal(256L * 1024 * 1024, head.ContentLength);
            await connection.ReadExactlyAsync(64 * 1024, _ => { }, cts.Token);
        }

        connection.Reset();

        // ServeFile's task completes (it does not hang on the dead connection) and reports the status it had sent.
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            while (true)
            {
                var (path, status) = await _files.Server.Framework.Served.Reader.ReadAsync(cts.Token);
                if (path == "huge.bin")
                {
                    Assert.Equal(200, status);
                    break;
                }
            }
        }

        using var client = _files.Server.CreateClient();
        Assert.Equal(_files.Text, await client.GetByteArrayAsync(FileServer.Serve("hello.txt")));
    }

    [Fact]
    public async Task The_demo_serves_its_wwwroot_under_static_and_refuses_what_is_not_there()
    {
        await using var demo = await DemoServer.StartAsync();
        using var client = demo.CreateClient();

        using var page = await client.GetAsync("/static/index.html");
        using var missing = await client.GetAsync("/static/nope.html");
        // Kestrel drops dot segments before routing; an encoded slash stays a literal part of a file name.
        using var encoded = await client.GetAsync("/static/..%2Fappsettings.json");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", Encoding.UTF8.GetString(await page.Content.ReadAsByteArrayAsync()), StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(page.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, encoded.StatusCode);
    }
}
