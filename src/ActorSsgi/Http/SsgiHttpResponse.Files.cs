namespace ActorSsgi.Http;

/// <summary>
/// The <c>http.response.file</c> extension of a request. Implemented by the per-request facade itself, so offering
/// it allocates nothing; like every other call, one made outside the actor is marshalled into it.
/// </summary>
internal sealed partial class SsgiHttpResponse : ISsgiFileResponse
{
    public ValueTask<int> ServeFile(string path, string? contentType = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (_detached != Live)
        {
            return _detached == WasAborted ? new(0) : throw EndedError();
        }

        if (InActor)
        {
            return _exchange.ServeFile(path, contentType);
        }

        return Marshal(
            static (exchange, call) => exchange.ServeFile(call.Path, call.ContentType),
            (Path: path, ContentType: contentType),
            static self => self._detached == WasAborted ? 0 : throw EndedError());
    }

    public ValueTask<bool> SendFile(string path, long offset = 0, long? count = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (_detached != Live)
        {
            return _detached == WasAborted ? new(false) : throw EndedError();
        }

        if (InActor)
        {
            return _exchange.SendFile(path, offset, count);
        }

        return Marshal(
            static (exchange, call) => exchange.SendFile(call.Path, call.Offset, call.Count),
            (Path: path, Offset: offset, Count: count),
            static self => self._detached == WasAborted ? false : throw EndedError());
    }
}
