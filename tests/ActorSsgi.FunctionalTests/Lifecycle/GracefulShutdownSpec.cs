using System.Diagnostics;
using System.Net.Sockets;
using ActorSsgi.FunctionalTests.Fixtures;

namespace ActorSsgi.FunctionalTests.Lifecycle;

/// <summary>SIGTERM to the demo process: stop accepting, let in-flight requests finish, exit 0.</summary>
[Collection(SerialCollection.Name)]
public sealed class GracefulShutdownSpec
{
    [Fact]
    public async Task On_sigterm_the_in_flight_request_completes_new_connections_are_refused_and_the_process_exits_0()
    {
        var drainTimeout = TimeSpan.FromSeconds(5);
        await using var demo = await DemoProcess.StartAsync($"ActorSsgi:DrainTimeout={drainTimeout}");
        await using var inFlight = await RawHttpConnection.ConnectAsync(demo.EndPoint);
        await inFlight.SendAsync("GET /slow?ms=1500 HTTP/1.1\r\nHost: t\r\n\r\n");
        var response = inFlight.ReadResponseAsync(timeout: TimeSpan.FromSeconds(15));
        // Setup, not the assertion: give the request a moment to reach its handler (it then sleeps 1.5 s).
        await Task.Delay(300);

        demo.Terminate();
        var terminatedAt = Stopwatch.StartNew();
        var refusedAfter = await WaitUntilRefusedAsync(demo, TimeSpan.FromSeconds(5));
        var slow = await response;
        var answeredAfter = terminatedAt.Elapsed;
        var exitCode = await demo.WaitForExitAsync(drainTimeout + TimeSpan.FromSeconds(5));

        Assert.True(refusedAfter < answeredAfter, $"connections were refused only after the in-flight request ended ({refusedAfter} vs {answeredAfter})");
        Assert.Equal(200, slow.Status);
        Assert.Equal("slept 1500 ms", slow.BodyText);
        Assert.True(exitCode == 0, $"exit code {exitCode?.ToString() ?? "none (still running)"}; output:\n{demo.Output}");
        Assert.True(terminatedAt.Elapsed < drainTimeout, $"the process took {terminatedAt.Elapsed} to exit (drain timeout {drainTimeout})");
    }

    [Fact]
    public async Task A_request_outliving_the_drain_timeout_is_cut_off_and_the_process_still_exits_0()
    {
        var drainTimeout = TimeSpan.FromSeconds(1);
        await using var demo = await DemoProcess.StartAsync($"ActorSsgi:DrainTimeout={drainTimeout}");
        await using var inFlight = await RawHttpConnection.ConnectAsync(demo.EndPoint);
        await inFlight.SendAsync("GET /slow?ms=20000 HTTP/1.1\r\nHost: t\r\n\r\n");
        await Task.Delay(300); // setup: let the request reach its handler

        demo.Terminate();
        var terminatedAt = Stopwatch.StartNew();
        var reply = await inFlight.ReadToEndAsync(TimeSpan.FromSeconds(15));
        var exitCode = await demo.WaitForExitAsync(TimeSpan.FromSeconds(15));

        Assert.DoesNotContain("slept", System.Text.Encoding.ASCII.GetString(reply));
        Assert.True(exitCode == 0, $"exit code {exitCode?.ToString() ?? "none (still running)"}; output:\n{demo.Output}");
        Assert.True(terminatedAt.Elapsed < drainTimeout + TimeSpan.FromSeconds(5), $"the process took {terminatedAt.Elapsed} to exit (drain timeout {drainTimeout})");
    }

    [Fact]
    public async Task On_sigterm_an_idle_keep_alive_connection_is_closed_and_the_process_exits_0_promptly()
    {
        await using var demo = await DemoProcess.StartAsync();
        await using var idle = await RawHttpConnection.ConnectAsync(demo.EndPoint);
        await idle.SendAsync("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
        Assert.Equal("Hello, World!", (await idle.ReadResponseAsync()).BodyText);

        demo.Terminate();
        var terminatedAt = Stopwatch.StartNew();
        var rest = await idle.ReadToEndAsync(TimeSpan.FromSeconds(10));
        var exitCode = await demo.WaitForExitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(rest);
        Assert.True(exitCode == 0, $"exit code {exitCode?.ToString() ?? "none (still running)"}; output:\n{demo.Output}");
        Assert.True(terminatedAt.Elapsed < TimeSpan.FromSeconds(5), $"an idle server took {terminatedAt.Elapsed} to exit");
    }

    /// <summary>Connects again and again until the server refuses; returns how long after SIGTERM that was.</summary>
    private static async Task<TimeSpan> WaitUntilRefusedAsync(DemoProcess demo, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(demo.EndPoint);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
            {
                return watch.Elapsed;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                // Caught in the listener's backlog as it closed: the moment of closing itself. Probe again.
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"New connections were still accepted {timeout} after SIGTERM.");
    }
}
