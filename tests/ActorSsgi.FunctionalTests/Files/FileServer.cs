using System.Net;
using System.Threading.Channels;
using System.Web;
using ActorSsgi.FunctionalTests.Fixtures;
using ActorSsgi.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorSsgi.FunctionalTests.Files;

/// <summary>
/// A real ActorSsgi server whose <c>ActorSsgi:Files:Root</c> is a fresh temporary directory, with an application
/// that hands requests to the <c>http.response.file</c> extension. The path comes in the query string (<c>?path=</c>)
/// because Kestrel removes <c>..</c> segments from the request path before any handler sees it.
/// </summary>
/// <remarks>
/// Layout: <c>{Scratch}/root</c> is the allowed root; <c>{Scratch}/outside/secret.txt</c> sits beside it, and
/// <c>root/escape.txt</c> is a symbolic link to that secret.
/// </remarks>
public sealed class FileServer : IAsyncDisposable
{
    private readonly IHost _host;

    private FileServer(IHost host, string scratch, Uri address, FilesFramework framework)
    {
        _host = host;
        Scratch = scratch;
        BaseAddress = address;
        Framework = framework;
    }

    public string Scratch { get; }

    public string Root => Path.Combine(Scratch, "root");

    public Uri BaseAddress { get; }

    public IPEndPoint EndPoint => DemoServer.EndPointOf(BaseAddress);

    internal FilesFramework Framework { get; }

    public static async Task<FileServer> StartAsync()
    {
        var scratch = Directory.CreateTempSubdirectory("actorssgi-files-").FullName;
        Directory.CreateDirectory(Path.Combine(scratch, "root", "sub"));
        Directory.CreateDirectory(Path.Combine(scratch, "outside"));
        await File.WriteAllTextAsync(Path.Combine(scratch, "outside", "secret.txt"), "secret");
        File.CreateSymbolicLink(Path.Combine(scratch, "root", "escape.txt"), Path.Combine(scratch, "outside", "secret.txt"));

        var framework = new FilesFramework();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = ["--Logging:LogLevel:Default=Warning", "--urls", "http://127.0.0.1:0", "--ActorSsgi:Files:Root=" + Path.Combine(scratch, "root")],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.AddActorSsgi(builder.Configuration, framework);
        var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StartAsync(timeout.Token);
        var bound = await host.Services.GetRequiredService<SsgiServerAddresses>().Bound.WaitAsync(timeout.Token);
        return new FileServer(host, scratch, new Uri(bound[0]), framework);
    }

    /// <summary>Writes a file under the root and returns its bytes.</summary>
    public byte[] WriteFile(string name, byte[] content)
    {
        File.WriteAllBytes(Path.Combine(Root, name), content);
        return content;
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public Task<RawHttpConnection> ConnectAsync() => RawHttpConnection.ConnectAsync(EndPoint);

    public static string Serve(string path) => "/serve?path=" + Uri.EscapeDataString(path);

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            _host.Dispose();
            Directory.Delete(Scratch, recursive: true);
        }
    }
}

/// <summary>
/// <c>/serve?path=</c>: ServeFile. <c>/serve-later?path=</c>: ServeFile from a RunAsync handler, with a given
/// Content-Type. <c>/chunked-range?path=&amp;offset=&amp;count=</c>: a chunked body of <c>&lt;&lt;</c>,
/// the file range through SendFile, then <c>&gt;&gt;</c>. Every ServeFile result is reported on <see cref="Served"/>.
/// </summary>
internal sealed class FilesFramework : ISsgiFramework
{
    public Channel<(string Path, int Status)> Served { get; } = Channel.CreateUnbounded<(string, int)>();

    public SsgiSupported GetSupported(IReadOnlyDictionary<string, string> supportedInterfaces) =>
        new(SsgiInterfaces.Bind<ISsgiHttpResponse>(Handle), null);

    private async ValueTask Handle(SsgiType type, string serverAddress, string remoteAddress, string method, string path, string queryString, ISsgiHeaders getHeader, ISsgiHttpResponse res)
    {
        var query = HttpUtility.ParseQueryString(queryString);
        var file = query["path"] ?? "";
        var files = res.Files() ?? throw new InvalidOperationException("The server offers no http.response.file extension.");
        switch (path)
        {
            case "/serve":
                var status = await files.ServeFile(file);
                Served.Writer.TryWrite((file, status));
                return;
            case "/serve-later":
                // The handler's own header access expires with RunAsync; ServeFile still reads Range itself.
                res.RunAsync(static async (later, file) => await later.Files()!.ServeFile(file, "text/x-later"), file);
                return;
            case "/chunked-range":
                res.SendHeaders(("content-type", "application/octet-stream"));
                await res.SendChunk("<<"u8.ToArray());
                if (await files.SendFile(file, long.Parse(query["offset"]!), long.Parse(query["count"]!)))
                {
                    await res.SendChunk(">>"u8.ToArray());
                    res.Send();
                }

                return;
            default:
                res.SendStatus(404);
                res.Send();
                return;
        }
    }
}
