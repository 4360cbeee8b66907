using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ActorSsgi.TestKit.Http.Transport;

/// <summary>The response body the server gets (<c>IHttpResponseBodyFeature</c>), over <see cref="ResponseBodyWriter"/>.</summary>
internal sealed class ResponseBodyFeature(SyntheticConnection connection) : IHttpResponseBodyFeature
{
    private Stream? _stream;

    public Stream Stream => _stream ??= connection.Writer.AsStream(leaveOpen: true);

    public PipeWriter Writer => connection.Writer;

    public void DisableBuffering()
    {
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        connection.Guard.Check("Response StartAsync");
        connection.ResponseHead.Commit(appCompleted: false);
        await connection.Writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        SendFileFallback.SendFileAsync(Stream, path, offset, count, cancellationToken);

    /// <summary>Kestrel's CompleteAsync: starts the response if needed (sized 0 when empty), flushes, ends the body.</summary>
    public Task CompleteAsync()
    {
        connection.Guard.Check("Response CompleteAsync");
        connection.ResponseHead.Commit(appCompleted: true);
        return connection.Writer.EndAsync();
    }
}
