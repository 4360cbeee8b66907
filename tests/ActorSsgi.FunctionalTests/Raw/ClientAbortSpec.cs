using System.Text;
using ActorSsgi.FunctionalTests.Fixtures;

namespace ActorSsgi.FunctionalTests.Raw;

/// <summary>
/// Clients that vanish mid-request. Every test starts a server of its own (IAsyncLifetime on the test class), so
/// its on_aborted count moves only by what that test does.
/// </summary>
public sealed class ClientAbortSpec : IAsyncLifetime
{
    private DemoServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await DemoServer.StartAsync();
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_request_aborted_mid_body_runs_on_aborted_exactly_once_and_the_server_keeps_serving()
    {
        var baseline = await AbortedCount.ReadAsync(_client);
        var connection = await _server.ConnectAsync();

        await connection.SendAsync("POST /stream HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n");
        await connection.SendAsync(Encoding.ASCII.GetBytes(new string('h', 50_000)));
        // /stream echoes what it got so far: its response head proves the handler is running.
        using (var cts = new CancellationTokenSource(RawHttpConnection.DefaultTimeout))
        {
            var head = await connection.ReadHeadAsync(cts.Token);
            Assert.Equal("100000", head.Header("content-length"));
        }

        await connection.DisposeAsync();

        await AbortedCount.ExpectExactlyOneMoreAsync(_client, baseline);
        Assert.Equal("Hello, World!", await _client.GetStringAsync("/plaintext"));
    }

    [Fact]
    public async Task A_client_that_resets_mid_body_also_runs_on_aborted_exactly_once()
    {
        var baseline = await AbortedCount.ReadAsync(_client);
        var connection = await _server.ConnectAsync();

        await connection.SendAsync("POST /stream HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n");
        using (var cts = new CancellationTokenSource(RawHttpConnection.DefaultTimeout))
        {
            Assert.True((await connection.ReadHeadAsync(cts.Token)).IsChunked);
        }

        connection.Reset();

        await AbortedCount.ExpectExactlyOneMoreAsync(_client, baseline);
    }

    [Fact]
    public async Task A_client_that_disconnects_while_waiting_for_slow_runs_on_aborted_exactly_once_and_promptly()
    {
        var baseline = await AbortedCount.ReadAsync(_client);
        var connection = await _server.ConnectAsync();

        // Kestrel still dispatches a complete request whose client has already closed, and reports the abort
        // to it; so the client can leave right after sending, while the handler sleeps its 2 s.
        await connection.SendAsync("GET /slow?ms=2000 HTTP/1.1\r\nHost: t\r\n\r\n");
        var handlerWakes = DateTime.UtcNow.AddSeconds(2);
        await connection.DisposeAsync();

        var counted = await Eventually.Until(() => AbortedCount.ReadAsync(_client), c => c > baseline, TimeSpan.FromSeconds(10), "on_aborted to be counted");
        var countedAt = DateTime.UtcNow;

        Assert.Equal(baseline + 1, counted);
        Assert.True(countedAt < handlerWakes.AddMilliseconds(-500), "on_aborted should run when the client leaves, not when the handler wakes");
        // Past the handler's wake-up: its late "if (!res.Aborted)" path must not count again or break anything.
        await Eventually.Holds(() => AbortedCount.ReadAsync(_client), c => c == baseline + 1, handlerWakes.AddMilliseconds(300) - DateTime.UtcNow, "the aborted count to stay at +1");
        Assert.Equal("slept 0 ms", await _client.GetStringAsync("/slow?ms=0"));
    }

    [Fact]
    public async Task A_client_that_disconnects_while_downloading_big_runs_on_aborted_exactly_once()
    {
        var baseline = await AbortedCount.ReadAsync(_client);
        var connection = await _server.ConnectAsync();

        await connection.SendAsync("GET /big?bytes=1000000000 HTTP/1.1\r\nHost: t\r\n\r\n");
        using (var cts = new CancellationTokenSource(RawHttpConnection.DefaultTimeout))
        {
            var head = await connection.ReadHeadAsync(cts.Token);
            Assert.Equal("1000000000", head.Header("content-length"));
            await connection.ReadExactlyAsync(256 * 1024, _ => { }, cts.Token); // the download is under way
        }

        await connection.DisposeAsync();

        await AbortedCount.ExpectExactlyOneMoreAsync(_client, baseline);
        Assert.Equal("Hello, World!", await _client.GetStringAsync("/plaintext"));
    }

    [Fact]
    public async Task A_completed_response_never_runs_on_aborted_even_if_the_client_leaves_right_after()
    {
        var baseline = await AbortedCount.ReadAsync(_client);

        for (var i = 0; i < 5; i++)
        {
            await using var connection = await _server.ConnectAsync();
            await connection.SendAsync("GET /big?bytes=100000 HTTP/1.1\r\nHost: t\r\n\r\n");
            Assert.Equal(100_000, (await connection.ReadResponseAsync()).Body.Length);
        }

        await using (var connection = await _server.ConnectAsync())
        {
            await connection.SendAsync("GET /slow?ms=10 HTTP/1.1\r\nHost: t\r\n\r\n");
            Assert.Equal("slept 10 ms", (await connection.ReadResponseAsync()).BodyText);
        }

        await Eventually.Holds(() => AbortedCount.ReadAsync(_client), c => c == baseline, TimeSpan.FromMilliseconds(500), "the aborted count to stay unchanged");
    }
}
