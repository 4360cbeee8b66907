using System.Diagnostics;
using System.Net.WebSockets;

namespace LoadClient;

/// <summary>
/// N sessions, each in a closed loop: send one binary message, wait for its echo, repeat. Measures echoes per
/// second (and server CPU ticks) over a fixed window that starts after a warm-up.
/// </summary>
internal static class EchoMode
{
    public static async Task<int> RunAsync(Options options, CancellationToken ct)
    {
        var url = new Uri(options.GetString("url"));
        var sessions = options.GetInt("sessions", 32);
        var size = options.GetInt("size", 32);
        var measure = TimeSpan.FromSeconds(options.GetDouble("seconds", 10));
        var warmup = TimeSpan.FromSeconds(options.GetDouble("warmup-seconds", 2));
        var probe = ServerProbe.FromOptions(options);

        var sockets = await Sessions.OpenAsync(url, sessions, batch: 64, ct);
        var state = new LoopState();
        var loops = sockets.Select(socket => EchoLoopAsync(socket, size, state, ct)).ToArray();

        await Task.Delay(warmup, ct);
        var echoesBefore = Interlocked.Read(ref state.Echoes);
        var cpuBefore = probe?.CpuTicks();
        var clock = Stopwatch.StartNew();

        await Task.Delay(measure, ct);
        var echoes = Interlocked.Read(ref state.Echoes) - echoesBefore;
        var cpuTicks = probe?.CpuTicks() - cpuBefore;
        var seconds = clock.Elapsed.TotalSeconds;

        // Let each loop finish its in-flight round trip, so the close handshake is not interleaved with an echo.
        state.Stop = true;
        await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(10), ct);
        await Sessions.CloseAsync(sockets, batch: 64, TimeSpan.FromSeconds(10));

        if (state.Errors > 0)
        {
            Console.Error.WriteLine($"loadclient: {state.Errors} echo(es) came back wrong (type or length)");
            return 1;
        }
        Report.Value("sessions", sessions);
        Report.Value("echoes", echoes);
        Report.Value("seconds", seconds);
        Report.Value("echoes_per_sec", echoes / seconds);
        if (cpuTicks is { } ticks)
        {
            Report.Value("server_cpu_ticks", ticks);
        }
        return echoes > 0 ? 0 : 1;
    }

    private sealed class LoopState
    {
        public long Echoes;
        public long Errors;
        public volatile bool Stop;
    }

    private static async Task EchoLoopAsync(ClientWebSocket socket, int size, LoopState state, CancellationToken ct)
    {
        var payload = new byte[size];
        Random.Shared.NextBytes(payload);
        var receiveBuffer = new byte[Math.Max(size, 4096)];
        while (!state.Stop)
        {
            await socket.SendAsync(payload, WebSocketMessageType.Binary, endOfMessage: true, ct);
            var received = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(receiveBuffer.AsMemory(received), ct);
                received += result.Count;
            }
            while (!result.EndOfMessage && received < receiveBuffer.Length);

            if (result.MessageType != WebSocketMessageType.Binary || received != size)
            {
                Interlocked.Increment(ref state.Errors);
                return;
            }
            Interlocked.Increment(ref state.Echoes);
        }
    }
}
