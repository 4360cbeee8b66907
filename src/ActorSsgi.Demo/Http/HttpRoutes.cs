using System.Text;
using System.Web;

namespace ActorSsgi.Demo.Http;

/// <summary>The demo's HTTP routes: a plain switch on the path, as a small framework would do it.</summary>
internal sealed class HttpRoutes
{
    private static readonly byte[] HelloWorld = "Hello, World!"u8.ToArray();
    private static readonly byte[] NotFound = "not found"u8.ToArray();
    private readonly DemoCounters _counters;
    private readonly ClusterRoutes _cluster;

    public HttpRoutes(DemoCounters counters, ClusterRoutes cluster)
    {
        _counters = counters;
        _cluster = cluster;
    }

    public ValueTask Handle(SsgiType type, string serverAddress, string remoteAddress, string method, string path, string queryString, ISsgiHeaders getHeader, ISsgiHttpResponse res)
    {
        switch (path)
        {
            case "/plaintext" when IsGet(method):
                res.SendHeaders(("content-type", "text/plain"));
                res.Send(HelloWorld);
                return default;
            case "/json" when IsGet(method):
                res.SendHeaders(("content-type", "application/json"));
                res.Send(DemoJson.Hello());
                return default;
            case "/" when IsGet(method):
                res.SendHeaders(("content-type", "text/html; charset=utf-8"));
                res.Send(StaticPage.Index);
                return default;
            case "/dashboard" when IsGet(method):
                res.SendHeaders(("content-type", "text/html; charset=utf-8"), ("cache-control", "no-store"));
                res.Send(StaticPage.Dashboard);
                return default;
            case "/aborted-count" when IsGet(method):
                res.SendHeaders(("content-type", "application/json"));
                res.Send(DemoJson.AbortedCount(_counters.Aborted));
                return default;
            case "/throw":
                throw new InvalidOperationException("The /throw route fails on purpose.");
            case "/stream" when method == "POST":
                return StreamRoute.Handle(getHeader, res, _counters);
            case "/big" when IsGet(method):
                return BigRoute.Handle(Query(queryString), res, _counters);
            case "/slow" when IsGet(method):
                return SlowRoute.Handle(Query(queryString), res, _counters);
            case "/cluster/members" when IsGet(method):
                return _cluster.Members(res);
            case "/chat/history" when IsGet(method):
                return _cluster.History(Query(queryString)["room"], res);
        }

        if (path.StartsWith("/throw/", StringComparison.Ordinal))
        {
            // A family of failing routes, each its own route for the crash log's per-route budget.
            throw new InvalidOperationException($"The {path} route fails on purpose.");
        }

        if (path == "/echo" || path.StartsWith("/echo/", StringComparison.Ordinal))
        {
            return EchoRoute.Handle(type, serverAddress, remoteAddress, method, path, queryString, getHeader, res);
        }

        if (path.StartsWith("/static/", StringComparison.Ordinal) && IsGet(method) && res.Files() is { } files)
        {
            // The rest of the path is relative to ActorSsgi:Files:Root (wwwroot); ServeFile refuses an escape with 403.
            return Served(files.ServeFile(path["/static/".Length..]));
        }

        if (path.StartsWith("/status/", StringComparison.Ordinal))
        {
            return StatusRoute.Handle(path["/status/".Length..], res);
        }

        if (path is "/plaintext" or "/json" or "/" or "/dashboard" or "/aborted-count" or "/stream" or "/big" or "/slow" or "/cluster/members" or "/chat/history")
        {
            res.SendStatus(405);
            res.SendHeaders(("allow", path == "/stream" ? "POST" : "GET, HEAD"));
            res.Send("method not allowed");
            return default;
        }

        res.SendStatus(404);
        res.SendHeaders(("content-type", "text/plain"));
        res.Send(NotFound);
        return default;
    }

    private static ValueTask Served(ValueTask<int> serving) =>
        serving.IsCompletedSuccessfully ? default : AwaitServed(serving);

    private static async ValueTask AwaitServed(ValueTask<int> serving) => await serving;

    internal static void BadRequest(ISsgiHttpResponse res, string reason)
    {
        res.SendStatus(400);
        res.SendHeaders(("content-type", "text/plain"));
        res.Send(Encoding.UTF8.GetBytes(reason));
    }

    private static bool IsGet(string method) => method is "GET" or "HEAD";

    private static System.Collections.Specialized.NameValueCollection Query(string queryString) =>
        HttpUtility.ParseQueryString(queryString);
}
