using System.Text;
using ActorSsgi.FunctionalTests.Fixtures;

namespace ActorSsgi.FunctionalTests.Strict;

/// <summary>
/// <c>ActorSsgi:Limits:StrictHttp1</c> over raw TCP: input RFC 9110/9112 forbid and Kestrel accepts gets 400 and a
/// close, valid pipelined and chunked requests are still served, and the off switch gives Kestrel's behaviour back.
/// </summary>
[Collection(DemoServerCollection.Name)]
public sealed class StrictHttp1Spec(SharedDemoServer shared)
{
    /// <summary>The eight inputs Http11Probe found Kestrel accepting, and a few more of their kind.</summary>
    public static TheoryData<string> Forbidden => new()
    {
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: +5\r\n\r\nhello",
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: -0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5;\r\nhello\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5;a=\"b\u0001\"\r\nhello\r\n0\r\n\r\n",
        "GET /echo HTTP/1.1\r\nHost: t\r\nX-A: a\u0001b\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5;a@b\r\nhello\r\n0\r\n\r\n",
        "GET /echo HTTP/1.1\r\nHost: t\r\nX\"A: b\r\n\r\n",
        "GET /echo HTTP/1.1\r\nHost:\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5, 5\r\n\r\nhello",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
        // A chunk line over 4 KiB sent in one write (the strict-http fuzz harness found it accepted when read whole).
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5;a=" + new string('b', 5000) + "\r\nhello\r\n0\r\n\r\n",
    };

    [Theory]
    [MemberData(nameof(Forbidden))]
    public async Task Forbidden_input_gets_400_and_the_connection_is_closed(string request)
    {
        await using var connection = await shared.Server.ConnectAsync();

        await connection.SendAsync(Encoding.Latin1.GetBytes(request));
        var response = await connection.ReadResponseAsync();
        var rest = await connection.ReadToEndAsync();

        Assert.Equal(400, response.Status);
        Assert.True(response.Head.ClosesConnection, "a 400 for forbidden input should close the connection");
        Assert.Empty(rest);
    }

    [Fact]
    public async Task Requests_pipelined_before_the_forbidden_one_are_answered_first()
    {
        await using var connection = await shared.Server.ConnectAsync();

        await connection.SendAsync(
            "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n" +
            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc" +
            "GET /plaintext HTTP/1.1\r\nHost: t\r\nContent-Length: +0\r\n\r\n" +
            "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");

        Assert.Equal("Hello, World!", (await connection.ReadResponseAsync()).BodyText);
        Assert.Contains(Convert.ToBase64String("abc"u8.ToArray()), (await connection.ReadResponseAsync()).BodyText);
        Assert.Equal(400, (await connection.ReadResponseAsync()).Status);
        Assert.Empty(await connection.ReadToEndAsync());
    }

    [Fact]
    public async Task Valid_pipelined_and_chunked_requests_are_served_even_when_they_arrive_a_byte_at_a_time()
    {
        await using var connection = await shared.Server.ConnectAsync();
        var requests = Encoding.ASCII.GetBytes(
            "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "3;name=value;q=\"a \\\"b\\\"\"\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: yes\r\n\r\n" +
            "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n" +
            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\n;\r\n\u0001");

        foreach (var b in requests)
        {
            await connection.SendAsync(new[] { b });
        }

        Assert.Contains(Convert.ToBase64String("abcde"u8.ToArray()), (await connection.ReadResponseAsync()).BodyText);
        Assert.Equal("Hello, World!", (await connection.ReadResponseAsync()).BodyText);
        var last = await connection.ReadResponseAsync();
        Assert.Equal(200, last.Status);
        Assert.Contains(Convert.ToBase64String(";\r\n\u0001"u8.ToArray()), last.BodyText);
    }

    [Fact]
    public async Task With_the_off_switch_kestrel_alone_judges_and_accepts_what_it_accepts()
    {
        await using var server = await DemoServer.StartAsync("ActorSsgi:Limits:StrictHttp1=false");
        await using var connection = await server.ConnectAsync();

        await connection.SendAsync(
            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: +3\r\n\r\nabc" +
            "GET /plaintext HTTP/1.1\r\nHost:\r\n\r\n");

        var echo = await connection.ReadResponseAsync();
        Assert.Equal(200, echo.Status);
        Assert.Contains(Convert.ToBase64String("abc"u8.ToArray()), echo.BodyText);
        Assert.Equal("Hello, World!", (await connection.ReadResponseAsync()).BodyText);
    }
}
