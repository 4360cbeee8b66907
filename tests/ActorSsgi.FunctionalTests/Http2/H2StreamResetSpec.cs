using System.Net;
using ActorSsgi.FunctionalTests.Fixtures;

namespace ActorSsgi.FunctionalTests.Http2;

[Collection(Http2ServerCollection.Name)]
public sealed class H2StreamResetSpec(Http2Server fixture) : IDisposable
{
    private readonly HttpClient _client = fixture.CreateClient(fixture.H2c, HttpVersion.Version20);

    [Fact]
    public async Task A_stream_reset_mid_body_runs_on_aborted_exactly_once_and_the_connection_keeps_serving()
    {
        var before = Echo.Parse(await _client.GetByteArrayAsync("/echo"));
        var baseline = await AbortedCount.ReadAsync(_client);
        using var cancel = new CancellationTokenSource();
        var content = new HalfSentContent(declaredLength: 100_000, sentLength: 10_000);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/stream")
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        // /stream echoes the first bytes at once, so its response head proves the handler is running.
        var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal(100_000, response.DeclaredContentLength());
        // Abandon the half-sent, half-read stream: HttpClient resets it (RST_STREAM); the connection stays.
        await cancel.CancelAsync();
        response.Dispose();
        content.Release();

        await AbortedCount.ExpectExactlyOneMoreAsync(_client, baseline);
        var after = Echo.Parse(await _client.GetByteArrayAsync("/echo"));
        Assert.Equal(before.RemoteAddress, after.RemoteAddress);
    }

    /// <summary>Declares a length, sends part of it, then waits until released (the request is cancelled by then).</summary>
    private sealed class HalfSentContent(int declaredLength, int sentLength) : HttpContent
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _release.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(new byte[sentLength]);
            await stream.FlushAsync();
            await _release.Task;
            throw new OperationCanceledException("the test abandoned this body");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = declaredLength;
            return true;
        }
    }

    public void Dispose() => _client.Dispose();
}
