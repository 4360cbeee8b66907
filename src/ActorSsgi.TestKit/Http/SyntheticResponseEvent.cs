namespace ActorSsgi.TestKit.Http;

/// <summary>What the synthetic transport saw the server do with a response, in order (<see cref="SyntheticResponse.Events"/>).</summary>
public enum SyntheticResponseEvent
{
    /// <summary>The status and headers went on the wire (first flush, or the end of the request).</summary>
    Started,

    /// <summary>The server flushed the body writer.</summary>
    Flushed,

    /// <summary>The body ended: the client has the whole response (possibly before the request finished).</summary>
    BodyCompleted,

    /// <summary>The server aborted the connection (<c>IHttpRequestLifetimeFeature.Abort</c>).</summary>
    ServerAborted,

    /// <summary>The test dropped the connection (<see cref="SyntheticRequest.Abort"/>).</summary>
    ClientAborted,

    /// <summary>The server finished the request: the task it gave Kestrel completed.</summary>
    RequestCompleted,
}
