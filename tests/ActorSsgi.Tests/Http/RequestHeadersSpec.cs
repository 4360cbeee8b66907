using Akka.Actor;
using System.Net;
using ActorSsgi.TestKit.Http;
using ActorSsgi.Tests.Support;
using Xunit.Abstractions;
using static ActorSsgi.Tests.Support.Handlers;

namespace ActorSsgi.Tests.Http;

/// <summary>The entry's inputs, and get_header: names, values, and how long the headers stay valid.</summary>
public sealed class RequestHeadersSpec(ITestOutputHelper output) : HttpSpec(output)
{
    private sealed record Inputs(SsgiType Type, string Server, string Remote, string Method, string Path, string Query);

    [Fact]
    public async Task An_entry_must_receive_the_request_line_and_addresses_in_ssgi_form()
    {
        var kit = await KitAsync((type, server, remote, method, path, query, _, res) =>
        {
            TestActor.Tell(new Inputs(type, server, remote, method, path, query));
            res.Send();
            return default;
        });

        await kit.SendAsync(new SyntheticRequest("DELETE", "/a%20b/c%2Fd?x=1&y=%20"));
        Assert.Equal(new Inputs(SsgiType.Http, "127.0.0.1:8080", "127.0.0.1:50000", "DELETE", "/a b/c%2Fd", "x=1&y=%20"), ExpectMsg<Inputs>());

        await kit.SendAsync(SyntheticRequest.Get("/")
            .To(new IPEndPoint(IPAddress.IPv6Loopback, 443))
            .From(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 51234)));
        var v6 = ExpectMsg<Inputs>();
        Assert.Equal("[::1]:443", v6.Server);
        Assert.Equal("[2001:db8::1]:51234", v6.Remote);
        Assert.Equal("", v6.Query);
    }

    [Fact]
    public async Task Get_header_must_match_any_case_and_join_repeated_headers()
    {
        var kit = await KitAsync(WithHeaders((headers, res) =>
        {
            TestActor.Tell(headers.GetHeader("x-multi") ?? "<null>");
            TestActor.Tell(headers.GetHeader("X-MULTI") ?? "<null>");
            TestActor.Tell(headers.GetHeader("Accept") ?? "<null>");
            TestActor.Tell(headers.GetHeader("missing") ?? "<null>");
            res.Send();
            return default;
        }));

        await kit.SendAsync(SyntheticRequest.Get("/")
            .WithHeader("X-Multi", "a")
            .WithHeader("x-multi", "b")
            .WithHeader("Accept", "text/plain"));

        ExpectMsg("a, b");
        ExpectMsg("a, b");
        ExpectMsg("text/plain");
        ExpectMsg("<null>");
    }

    [Fact]
    public async Task Get_headers_must_return_all_headers_with_lowercase_names()
    {
        var kit = await KitAsync(WithHeaders((headers, res) =>
        {
            TestActor.Tell(headers.GetHeaders());
            res.Send();
            return default;
        }));

        await kit.SendAsync(SyntheticRequest.Post("/", "12345")
            .WithHeader("Host", "example.test")
            .WithHeader("X-Multi", "a")
            .WithHeader("X-Multi", "b"));

        var all = ExpectMsg<IReadOnlyDictionary<string, string>>();
        Assert.Equal(
            new Dictionary<string, string> { ["host"] = "example.test", ["x-multi"] = "a, b", ["content-length"] = "5" },
            all.OrderBy(h => h.Key).ToDictionary());
    }

    [Fact]
    public async Task Headers_must_stay_valid_across_the_awaits_of_an_async_entry()
    {
        var kit = await KitAsync(WithHeaders(async (headers, res) =>
        {
            await Task.Yield();
            TestActor.Tell(headers.GetHeader("x") ?? "<null>");
            var body = await res.GetData();
            TestActor.Tell(headers.GetHeader("x") ?? "<null>");
            res.Send(body!.Value);
        }));

        var request = SyntheticRequest.Post("/").WithHeader("x", "kept").WithStreamingBody();
        var response = kit.Send(request);
        ExpectMsg("kept");
        await request.WriteBodyAsync("later");
        request.CompleteBody();
        ExpectMsg("kept");
        await response.WaitAsync();
    }

    [Fact]
    public async Task Headers_must_throw_after_the_entry_completed()
    {
        ISsgiHeaders? kept = null;
        var kit = await KitAsync(WithHeaders((headers, res) =>
        {
            kept = headers;
            res.Send();
            return default;
        }));

        await kit.SendAsync(SyntheticRequest.Get("/").WithHeader("x", "1"));

        Assert.Throws<InvalidOperationException>(() => kept!.GetHeader("x"));
        Assert.Throws<InvalidOperationException>(() => kept!.GetHeaders());
    }

    [Fact]
    public async Task Headers_must_throw_after_an_async_entry_completed_even_while_the_response_is_open()
    {
        ISsgiHeaders? kept = null;
        ISsgiHttpResponse? open = null;
        var kit = await KitAsync(WithHeaders(async (headers, res) =>
        {
            kept = headers;
            open = res;
            await Task.Yield();
            TestActor.Tell(headers.GetHeader("x") ?? "<null>");

            // A promise to respond later: the response outlives the entry.
            res.OnAborted(_ => { });
        }));

        var response = kit.Send(SyntheticRequest.Get("/").WithHeader("x", "1"));
        ExpectMsg("1");
        await AwaitAssertAsync(() => Assert.Throws<InvalidOperationException>(() => kept!.GetHeader("x")));
        Assert.Throws<InvalidOperationException>(() => kept!.GetHeaders());
        Assert.False(response.IsCompleted);

        open!.Send("late");
        Assert.Equal("late", (await response.WaitAsync()).BodyText);
        AssertClean(response);
    }

    [Fact]
    public async Task Headers_must_throw_once_run_async_was_called_but_a_snapshot_stays_readable()
    {
        var kit = await KitAsync(WithHeaders((headers, res) =>
        {
            var snapshot = headers.GetHeaders();
            res.RunAsync(r =>
            {
                TestActor.Tell(Record.Exception(() => headers.GetHeader("x"))?.GetType() ?? typeof(void));
                r.Send(snapshot["x"]);
                return default;
            });
            TestActor.Tell(Record.Exception(() => headers.GetHeader("x"))?.GetType() ?? typeof(void));
            TestActor.Tell(Record.Exception(() => headers.GetHeaders())?.GetType() ?? typeof(void));
            return default;
        }));

        var response = await kit.SendAsync(SyntheticRequest.Get("/").WithHeader("X", "snap"));

        ExpectMsg(typeof(InvalidOperationException));
        ExpectMsg(typeof(InvalidOperationException));
        ExpectMsg(typeof(InvalidOperationException));
        Assert.Equal("snap", response.BodyText);
    }

    [Fact]
    public async Task Extensions_must_name_the_protocol_and_scheme()
    {
        var kit = await KitAsync(Sync(res =>
        {
            TestActor.Tell($"{res.Extensions![SsgiExtensionKeys.HttpProtocol]} {res.Extensions[SsgiExtensionKeys.Scheme]}");
            res.Send();
        }));

        await kit.SendAsync(SyntheticRequest.Get("/").WithProtocol("HTTP/2").WithScheme("https"));
        ExpectMsg("HTTP/2 https");
    }
}
