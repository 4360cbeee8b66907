namespace ActorSsgi.Demo.Http;

/// <summary><c>ANY /echo</c>: everything the server passed to the entry, and the body, as JSON.</summary>
internal static class EchoRoute
{
    public static async ValueTask Handle(SsgiType type, string serverAddress, string remoteAddress, string method, string path, string queryString, ISsgiHeaders getHeader, ISsgiHttpResponse res)
    {
        // Headers are read while the entry runs: they are valid until its task completes.
        var headers = getHeader.GetHeaders();
        var body = await res.GetData();
        if (res.Aborted)
        {
            return;
        }

        var reply = new EchoReply(
            type.ToWireString(),
            method,
            path,
            queryString,
            serverAddress,
            remoteAddress,
            headers,
            body is { } data ? Convert.ToBase64String(data.Span) : "");
        res.SendHeaders(("content-type", "application/json"));
        res.Send(DemoJson.Echo(reply));
    }
}
