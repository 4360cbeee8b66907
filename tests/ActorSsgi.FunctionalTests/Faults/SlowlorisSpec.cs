using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Xunit.Abstractions;

namespace ActorSsgi.FunctionalTests.Faults;

/// <summary>
/// Slowloris: 500 connections that send a request head one byte at a time and never finish it. Another client is
/// still served at once, and Kestrel's <c>RequestHeadersTimeout</c> (2 s here; it bounds the whole head, however
/// steadily the bytes trickle, and <c>MinRequestBodyDataRate</c> does not apply to headers) ends every slow
/// connection with 408 or a close.
/// </summary>
[Collection(FaultsCollection.Name)]
[Trait("Category", "Faults")]
public sealed class SlowlorisSpec(ITestOutputHelper output)
{
    private const int Connections = 500;
    private static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(2);

    [Fact(Timeout = 60_000)]
    public async Task Five_hundred_trickling_heads_do_not_stop_plaintext_and_each_ends_with_408_or_a_close_after_the_headers_timeout()
    {
        await using var server = await FaultServer.StartAsync(null, $"ActorSsgi:Limits:RequestHeadersTimeout={HeadersTimeout}");
        using var client = server.CreateClient();

        var sockets = new List<Socket>(Connections);
        var opened = new List<Stopwatch>(Connections);
        try
        {
            for (var i = 0; i < Connections; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(server.EndPoint);
                await socket.SendAsync("GET /plaintext HTTP/1.1\r\nHost: t\r\n"u8.ToArray(), SocketFlags.None);
                sockets.Add(socket);
                opened.Add(Stopwatch.StartNew());
            }

            // Every 200 ms each connection gets one more header byte, until the server has ended it.
            using var stopTrickle = new CancellationTokenSource();
            var trickle = Task.Run(async () =>
            {
                var header = "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"u8.ToArray();
                for (var i = 0; !stopTrickle.IsCancellationRequested; i = (i + 1) % header.Length)
                {
                    foreach (var socket in sockets)
                    {
                        try
                        {
                            socket.Send(header, i, 1, SocketFlags.None);
                        }
                        catch (SocketException)
                        {
                            // The server ended this one: what the test waits for below.
                        }
                        catch (ObjectDisposedException)
                        {
                        }
                    }

                    await Task.Delay(200, CancellationToken.None);
                }
            });

            // While all 500 are open and trickling, another client is served promptly.
            var served = Stopwatch.StartNew();
            Assert.Equal("Hello, World!", await client.GetStringAsync("/plaintext"));
            output.WriteLine($"/plaintext served in {served.ElapsedMilliseconds} ms beside {Connections} slow heads");
            Assert.True(served.Elapsed < TimeSpan.FromSeconds(2), $"/plaintext took {served.Elapsed} beside {Connections} slow heads");

            var ends = await Task.WhenAll(sockets.Select((socket, i) => ReadToEndAsync(socket, opened[i], HeadersTimeout + TimeSpan.FromSeconds(10))));
            stopTrickle.Cancel();
            await trickle.WaitAsync(TimeSpan.FromSeconds(5));

            var answered408 = ends.Count(e => e.Reply.StartsWith("HTTP/1.1 408", StringComparison.Ordinal));
            output.WriteLine($"{answered408} answered 408, {ends.Length - answered408} closed without a reply; ended after {ends.Min(e => e.After).TotalMilliseconds:0}-{ends.Max(e => e.After).TotalMilliseconds:0} ms");
            Assert.All(ends, e => Assert.True(e.Reply.Length == 0 || e.Reply.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), $"a slow head got: {e.Reply}"));
            // Kestrel checks the timeout on its 1 s heartbeat: never before the timeout, at most a few beats after.
            Assert.All(ends, e => Assert.True(e.After >= HeadersTimeout - TimeSpan.FromMilliseconds(100), $"a slow head was ended after only {e.After}"));
            Assert.All(ends, e => Assert.True(e.After <= HeadersTimeout + TimeSpan.FromSeconds(6), $"a slow head was ended only after {e.After}"));
            Assert.Equal("Hello, World!", await client.GetStringAsync("/plaintext"));
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>Reads until the server closes (or resets) the connection; fails past <paramref name="timeout"/>.</summary>
    private static async Task<(string Reply, TimeSpan After)> ReadToEndAsync(Socket socket, Stopwatch opened, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var reply = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0)
            {
                reply.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }
        }
        catch (SocketException)
        {
            // A reset after the 408 (the unread trickle) ends the connection as surely as a FIN.
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"A slow head was still open after {opened.Elapsed}.");
        }

        return (reply.ToString(), opened.Elapsed);
    }
}
