using System.Text;
using ActorSsgi;
using ActorSsgi.Hosting;
using Microsoft.Extensions.Hosting;

// Http11Probe's app contract (its AGENTS.md, "Add a new framework"): GET/HEAD/OPTIONS / answer 200, POST / echoes
// the body, /echo lists the request headers one per line, /cookie lists the cookies one per line.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddActorSsgi<ProbeFramework>(builder.Configuration);
await builder.Build().RunAsync();

/// <summary>The probe's contract as an SSGI framework.</summary>
internal sealed class ProbeFramework : ISsgiFramework
{
    private static readonly byte[] Ok = "OK"u8.ToArray();

    public SsgiSupported GetSupported(IReadOnlyDictionary<string, string> supportedInterfaces) =>
        new(SsgiInterfaces.Bind<ISsgiHttpResponse>(Handle), null);

    private static async ValueTask Handle(SsgiType type, string serverAddress, string remoteAddress, string method, string path, string queryString, ISsgiHeaders getHeader, ISsgiHttpResponse res)
    {
        // As the AspNetMinimal baseline's routing does: a method / does not serve gets 405 with Allow; OPTIONS * is 200.
        if (method is not ("GET" or "HEAD" or "POST" or "OPTIONS"))
        {
            res.SendStatus(405);
            res.SendHeaders(("allow", "GET, HEAD, POST, OPTIONS"));
            res.Send();
            return;
        }

        switch (path)
        {
            case "" or "*" when method == "OPTIONS": // OPTIONS * (Kestrel gives the asterisk form an empty path)
                res.SendHeaders(("allow", "GET, HEAD, POST, OPTIONS"));
                res.Send();
                return;
            case "/" when method == "POST":
                var body = await res.GetData();
                if (res.Aborted)
                {
                    return;
                }

                res.SendHeaders(("content-type", "text/plain"));
                res.Send(body ?? ReadOnlyMemory<byte>.Empty);
                return;
            case "/" when method == "OPTIONS":
                res.SendHeaders(("allow", "GET, HEAD, POST, OPTIONS"));
                res.Send();
                return;
            case "/":
                res.SendHeaders(("content-type", "text/plain"));
                res.Send(Ok);
                return;
            case "/echo":
            {
                var text = new StringBuilder();
                foreach (var (name, value) in getHeader.GetHeaders())
                {
                    text.Append(name).Append(": ").Append(value).Append('\n');
                }

                res.SendHeaders(("content-type", "text/plain"));
                res.Send(text.ToString());
                return;
            }

            case "/cookie":
            {
                var text = new StringBuilder();
                foreach (var pair in (getHeader.GetHeader("cookie") ?? "").Split(';'))
                {
                    var cookie = pair.TrimStart();
                    var eq = cookie.IndexOf('=');
                    if (eq > 0)
                    {
                        text.Append(cookie.AsSpan(0, eq)).Append('=').Append(cookie.AsSpan(eq + 1)).Append('\n');
                    }
                }

                res.SendHeaders(("content-type", "text/plain"));
                res.Send(text.ToString());
                return;
            }

            default:
                res.SendStatus(404);
                res.Send();
                return;
        }
    }
}
