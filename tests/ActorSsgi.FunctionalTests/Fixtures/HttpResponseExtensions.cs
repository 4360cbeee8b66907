namespace ActorSsgi.FunctionalTests.Fixtures;

public static class HttpResponseExtensions
{
    /// <summary>
    /// The Content-Length the server sent, or null when it sent none. (HttpContent.Headers.ContentLength is no proof:
    /// once the body is buffered it reports the buffered length even when the header was absent.)
    /// </summary>
    public static long? DeclaredContentLength(this HttpResponseMessage response) =>
        response.Content.Headers.NonValidated.TryGetValues("Content-Length", out var values) ? long.Parse(values.ToString()) : null;
}
