namespace ActorSsgi;

/// <summary>
/// File responses, offered in a response's <see cref="ISsgiConnection.Extensions"/> under
/// <see cref="SsgiExtensionKeys.FileResponse"/> (or through <see cref="SsgiFileResponseExtensions.Files"/>). The seed
/// keeps additions in <c>extensions</c>; this one lets every interface hand a file to the server instead of copying
/// it through the handler: RSGI's <c>response_file</c>, ASGI's <c>http.response.pathsend</c>, WSGI's
/// <c>wsgi.file_wrapper</c> and .NET handlers alike. The handler never holds the bytes: the server reads small ranges
/// straight into the connection's buffer and hands larger ones to the transport's file send (Kestrel's
/// <c>SendFileAsync</c>, the path of ASP.NET Core's static files middleware).
/// </summary>
/// <remarks>
/// Paths are confined to the server's allowed root: a path that resolves outside it (<c>..</c>, an absolute path
/// elsewhere, a symbolic link out) is refused and never opened.
/// </remarks>
public interface ISsgiFileResponse
{
    /// <summary>
    /// Serves the file as the whole response, as a static file server does: <c>200</c> with <c>Content-Length</c>,
    /// <c>Content-Type</c> (from <paramref name="contentType"/> or the extension), <c>ETag</c>, <c>Last-Modified</c> and
    /// <c>Accept-Ranges: bytes</c>; <c>304</c> for a matching <c>If-None-Match</c> / <c>If-Modified-Since</c>; <c>206</c>
    /// for a satisfiable single <c>Range</c> (honouring <c>If-Range</c>); <c>416</c> for an unsatisfiable one;
    /// <c>404</c> for a missing file or a directory and <c>403</c> for a path outside the allowed root. The <c>ETag</c>
    /// is strong (size and write time). <c>Range</c> is honoured for <c>GET</c> only; several ranges get the whole
    /// file (<c>200</c>). A <c>HEAD</c> gets the headers a <c>GET</c> would, without the body. Headers sent before the
    /// call are kept; a status set before is replaced. The request's <c>Range</c> and conditional headers are read when
    /// the call starts, so it also works after the handler's own header access expired (from <c>RunAsync</c>). The
    /// response has ended when the task completes.
    /// </summary>
    /// <param name="path">The file, absolute or relative to the allowed root.</param>
    /// <param name="contentType">The media type, or <c>null</c> to pick it from the file's extension.</param>
    /// <returns>The status code that was sent; <c>0</c> when the response had been aborted before the call.</returns>
    /// <exception cref="InvalidOperationException">The response's body has already started or it has ended.</exception>
    ValueTask<int> ServeFile(string path, string? contentType = null);

    /// <summary>
    /// Sends <paramref name="count"/> bytes of the file from <paramref name="offset"/> (to its end when
    /// <paramref name="count"/> is <c>null</c>) as body bytes, with the status and headers the handler set. This is
    /// the raw form the Python interfaces need (the application already chose status and headers). When the body has
    /// not started, the range is the whole body: it goes out with <c>Content-Length</c> and the response ends. After
    /// <c>SendChunk</c> started the body, the range is its next part, counted against its <c>total_size</c> like a
    /// chunk: the response ends when that total is reached, otherwise it stays open for more chunks and a final
    /// <c>Send</c>. Like <c>SendChunk</c> it is one send in flight: await it before sending anything else.
    /// </summary>
    /// <param name="path">The file, absolute or relative to the allowed root.</param>
    /// <param name="offset">The first byte to send.</param>
    /// <param name="count">How many bytes to send, or <c>null</c> for the rest of the file.</param>
    /// <returns><c>true</c> when the file went out; <c>false</c> when the response was aborted on the way.</returns>
    /// <exception cref="InvalidOperationException">The response ended, another send is in flight, or the range passes a <c>total_size</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the file.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The path is outside the allowed root.</exception>
    ValueTask<bool> SendFile(string path, long offset = 0, long? count = null);
}

/// <summary>Typed access to the file-response extension.</summary>
public static class SsgiFileResponseExtensions
{
    /// <summary>The response's file sender, or <c>null</c> when the server offers none.</summary>
    /// <param name="response">The response.</param>
    /// <returns>The file-response extension bound to this response.</returns>
    public static ISsgiFileResponse? Files(this ISsgiHttpResponse response) =>
        response.Extensions is { } extensions && extensions.TryGetValue(SsgiExtensionKeys.FileResponse, out var files)
            ? files as ISsgiFileResponse
            : null;
}
