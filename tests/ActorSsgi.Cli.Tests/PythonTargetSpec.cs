using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace ActorSsgi.Cli.Tests;

/// <summary><c>actorssgi module:attribute</c> serving the Python samples over real sockets.</summary>
[Collection(CliCollection.Name)]
public sealed class PythonTargetSpec
{
    [Fact]
    public async Task The_Flask_sample_must_be_served_through_wsgi_on_the_port_it_prints()
    {
        using var cli = CliProcess.Start("--app-dir", CliProcess.SamplesDir, "flask_app:app", "--interface", "wsgi", "--urls", "http://127.0.0.1:0", "--log-level", "warning");
        var serving = await cli.WaitForLineAsync(Serving("flask_app:app", "wsgi"));
        using var client = Client(serving);

        Assert.Equal("Hello, World!", await client.GetStringAsync("/"));
    }

    [Fact]
    public async Task The_FastAPI_sample_must_be_served_through_asgi_and_answer_a_bad_body_with_422()
    {
        using var cli = CliProcess.Start("--app-dir", CliProcess.SamplesDir, "fastapi_app:app", "--interface", "asgi", "--urls", "http://127.0.0.1:0", "--log-level", "warning");
        var serving = await cli.WaitForLineAsync(Serving("fastapi_app:app", "asgi"));
        using var client = Client(serving);

        using var response = await client.PostAsync("/items", new StringContent("""{"name": "x"}""", Encoding.UTF8, "application/json"));
        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        Assert.Contains("price", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_SSGIFramework_object_must_be_served_through_Python_ssgi_with_interface_auto()
    {
        using var cli = CliProcess.Start("--app-dir", CliProcess.SamplesDir, "ssgi_app:app", "--urls", "http://127.0.0.1:0", "--log-level", "warning");
        var serving = await cli.WaitForLineAsync(Serving("ssgi_app:app", "ssgi"));
        using var client = Client(serving);

        Assert.Equal("Hello, World!", await client.GetStringAsync("/"));
    }

    [Fact]
    public async Task The_Starlette_sample_must_serve_its_WebSocket_route_through_asgi()
    {
        using var cli = CliProcess.Start("--app-dir", CliProcess.SamplesDir, "starlette_app:app", "--interface", "asgi", "--urls", "http://127.0.0.1:0", "--log-level", "warning");
        var serving = await cli.WaitForLineAsync(Serving("starlette_app:app", "asgi"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var ws = new System.Net.WebSockets.ClientWebSocket();
        await ws.ConnectAsync(new Uri(serving.Groups["url"].Value.Replace("http", "ws", StringComparison.Ordinal) + "/ws"), timeout.Token);

        await ws.SendAsync(Encoding.UTF8.GetBytes("through the command"), System.Net.WebSockets.WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[64];
        var echo = await ws.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal("through the command", Encoding.UTF8.GetString(buffer, 0, echo.Count));

        await ws.SendAsync(Encoding.UTF8.GetBytes("bye"), System.Net.WebSockets.WebSocketMessageType.Text, true, timeout.Token);
        var close = await ws.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(System.Net.WebSockets.WebSocketMessageType.Close, close.MessageType);
        Assert.Equal(4000, (int)ws.CloseStatus!.Value);
    }

    [Fact]
    public async Task The_RSGI_sample_must_be_served_through_rsgi()
    {
        using var cli = CliProcess.Start("--app-dir", CliProcess.SamplesDir, "rsgi_app:app", "--interface", "rsgi", "--urls", "http://127.0.0.1:0", "--log-level", "warning");
        var serving = await cli.WaitForLineAsync(Serving("rsgi_app:app", "rsgi"));
        using var client = Client(serving);

        Assert.Equal("Hello, World!", await client.GetStringAsync("/"));
    }

    [Fact]
    public async Task An_ActorSsgi_setting_must_pass_through_to_the_server()
    {
        using var cli = CliProcess.Start("--ActorSsgi:ServerHeader=FromTheCommandLine", "--app-dir", CliProcess.AppsDir, "pid_app:app", "--interface", "wsgi", "--urls", "http://127.0.0.1:0", "--log-level", "warning");
        var serving = await cli.WaitForLineAsync(Serving("pid_app:app", "wsgi"));
        using var client = Client(serving);

        using var response = await client.GetAsync("/");
        Assert.Equal("FromTheCommandLine", response.Headers.Server.ToString());
    }

    [Fact]
    public async Task A_plain_callable_with_interface_auto_must_end_with_one_line_asking_to_name_it()
    {
        var (code, stderr, _) = await CliProcess.RunToEndAsync("--app-dir", CliProcess.SamplesDir, "flask_app:app");

        Assert.Equal(2, code);
        var line = Assert.Single(stderr);
        Assert.Contains("has no get_supported", line);
        Assert.Contains("--interface ssgi|wsgi|asgi|rsgi", line);
    }

    [Fact]
    public async Task SIGTERM_must_stop_a_single_server_with_exit_code_0()
    {
        using var cli = CliProcess.Start("--app-dir", CliProcess.AppsDir, "pid_app:app", "--interface", "wsgi", "--urls", "http://127.0.0.1:0", "--log-level", "warning");
        await cli.WaitForLineAsync(Serving("pid_app:app", "wsgi"));

        cli.Terminate();
        Assert.Equal(0, await cli.WaitForExitAsync());
    }

    internal static Regex Serving(string target, string @interface) =>
        new($@"^actorssgi: serving {Regex.Escape(target)} \({@interface}\) on (?<url>http://127\.0\.0\.1:\d+)$");

    internal static HttpClient Client(Match serving) =>
        new() { BaseAddress = new Uri(serving.Groups["url"].Value), Timeout = TimeSpan.FromSeconds(10) };
}
