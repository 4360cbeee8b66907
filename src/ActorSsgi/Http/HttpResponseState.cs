namespace ActorSsgi.Http;

/// <summary>The SSGI states of one HTTP response, in the order a response moves through them.</summary>
internal enum HttpResponseState
{
    /// <summary>The actor serves no request.</summary>
    Idle,

    /// <summary>The request arrived; nothing has been sent.</summary>
    Pending,

    /// <summary>Status or headers were set; no body yet, so more may still be set.</summary>
    HeadersSent,

    /// <summary>The body has started: status and headers are on their way and can no longer change.</summary>
    Streaming,

    /// <summary>The response is complete.</summary>
    Ended,

    /// <summary>The client went away (or the server aborted) before the response was complete.</summary>
    Aborted,
}

internal static class HttpResponseStateExtensions
{
    public static bool IsFinal(this HttpResponseState state) => state is HttpResponseState.Ended or HttpResponseState.Aborted;

    public static bool CanSetHead(this HttpResponseState state) => state is HttpResponseState.Pending or HttpResponseState.HeadersSent;
}
