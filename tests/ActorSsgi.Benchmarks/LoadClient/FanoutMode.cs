using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace LoadClient;

/// <summary>
/// N sessions join one chat room; one of them publishes M messages; every session counts the copies it
/// receives. Deliveries per second = all copies received / (last delivery - first publish).
/// Only frames carrying this run's token are counted, so join/leave notices or other chatter a server may
/// broadcast do not inflate the figure.
/// </summary>
internal static class FanoutMode
{
    public static async Task<int> RunAsync(Options options, CancellationToken ct)
    {
        var url = new Uri(options.GetString("url"));
        var sessions = options.GetInt("sessions", 10_000);
        var messages = options.GetInt("messages", 20);
        var batch = options.GetInt("batch", 200);
        var deliveryTimeout = TimeSpan.FromSeconds(options.GetDouble("delivery-timeout-seconds", 60));
        var probe = ServerProbe.FromOptions(options);

        var runId = Guid.NewGuid().ToString("N")[..12];
        // Peak server memory over the whole fan-out (opening the sessions included): VmHWM reset to the current RSS
        // here, read after the last delivery. Without the reset VmHWM is the process's lifetime peak (reported so).
        var peakWasReset = probe?.TryResetPeak() ?? false;
        var rssBefore = probe?.RssKiB();
        var counters = new Counters(sessions, Encoding.UTF8.GetBytes($"sync-{runId}"), Encoding.UTF8.GetBytes($"data-{runId}"));
        var receivers = new Task[sessions];
        var sockets = await Sessions.OpenAsync(url, sessions, batch, ct,
            (index, socket) => receivers[index] = ReceiveLoopAsync(index, socket, counters, ct));
        Report.Value("opened", sessions);

        // Sync round: proves every session is subscribed before the clock starts (joining may be asynchronous
        // on the server), and tells whether the publisher receives its own messages.
        var publisher = sockets[0];
        await SendTextAsync(publisher, $"sync-{runId}", ct);
        if (!await CompletesWithin(counters.OthersSynced.Task, TimeSpan.FromSeconds(30), ct))
        {
            Console.Error.WriteLine($"loadclient: only {counters.SyncedSessions} of {sessions} sessions received the sync message");
            await CloseAsync(sockets, receivers, batch);
            return 1;
        }
        // The publisher's own copy, if the server sends one, is normally already there; allow it a moment.
        await CompletesWithin(counters.AllSynced.Task, TimeSpan.FromSeconds(2), ct);
        var senderIncluded = Volatile.Read(ref counters.SyncSeen[0]) == 1;
        var expected = (long)messages * (senderIncluded ? sessions : sessions - 1);
        counters.ArmDataPhase(expected);

        var cpuBefore = probe?.CpuTicks();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < messages; i++)
        {
            await SendTextAsync(publisher, $"data-{runId} {i}", ct);
        }
        var complete = await CompletesWithin(counters.AllDelivered.Task, deliveryTimeout, ct);
        var cpuTicks = probe?.CpuTicks() - cpuBefore;
        var peakRss = probe?.PeakRssKiB();
        var delivered = Interlocked.Read(ref counters.Delivered);
        var seconds = Stopwatch.GetElapsedTime(start, Interlocked.Read(ref counters.LastDeliveryTimestamp)).TotalSeconds;

        await CloseAsync(sockets, receivers, batch);

        Report.Value("sessions", sessions);
        Report.Value("messages", messages);
        Report.Value("sender_included", senderIncluded ? "true" : "false");
        Report.Value("deliveries", delivered);
        Report.Value("expected_deliveries", expected);
        Report.Value("complete", complete ? "true" : "false");
        Report.Value("seconds", seconds);
        Report.Value("deliveries_per_sec", seconds > 0 ? delivered / seconds : 0);
        if (cpuTicks is { } ticks)
        {
            Report.Value("server_cpu_ticks", ticks);
        }
        if (peakRss is { } peak && rssBefore is { } before)
        {
            Report.Value("server_rss_before_kib", before);
            Report.Value("server_peak_rss_kib", peak);
            Report.Value("server_peak_was_reset", peakWasReset ? "true" : "false");
        }
        return complete ? 0 : 1;
    }

    private static async Task<bool> CompletesWithin(Task task, TimeSpan timeout, CancellationToken ct)
    {
        await Task.WhenAny(task, Task.Delay(timeout, ct));
        return task.IsCompletedSuccessfully;
    }

    private static Task SendTextAsync(ClientWebSocket socket, string text, CancellationToken ct) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, ct);

    private sealed class Counters(int sessions, byte[] syncToken, byte[] dataToken)
    {
        public readonly int[] SyncSeen = new int[sessions];
        public readonly TaskCompletionSource OthersSynced = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource AllSynced = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource AllDelivered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly byte[] SyncToken = syncToken;
        public readonly byte[] DataToken = dataToken;
        public int SyncedSessions;
        private int _syncedOthers; // sessions other than the publisher (index 0)
        public long Delivered;
        public long LastDeliveryTimestamp;
        private long _expected = long.MaxValue;

        public void ArmDataPhase(long expected)
        {
            Volatile.Write(ref _expected, expected);
            if (Interlocked.Read(ref Delivered) >= expected)
            {
                AllDelivered.TrySetResult();
            }
        }

        public void OnSync(int index)
        {
            if (Interlocked.Exchange(ref SyncSeen[index], 1) != 0)
            {
                return;
            }
            if (index != 0 && Interlocked.Increment(ref _syncedOthers) == SyncSeen.Length - 1)
            {
                OthersSynced.TrySetResult();
            }
            if (Interlocked.Increment(ref SyncedSessions) == SyncSeen.Length)
            {
                AllSynced.TrySetResult();
            }
        }

        public void OnData()
        {
            // Timestamp before the count, so whoever observes the final count also sees a final timestamp.
            Interlocked.Exchange(ref LastDeliveryTimestamp, Stopwatch.GetTimestamp());
            if (Interlocked.Increment(ref Delivered) == Volatile.Read(ref _expected))
            {
                AllDelivered.TrySetResult();
            }
        }
    }

    private static async Task ReceiveLoopAsync(int index, ClientWebSocket socket, Counters counters, CancellationToken ct)
    {
        var message = new ArrayBufferWriter<byte>(256);
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(message.GetMemory(1024), ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
                message.Advance(result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }
                var span = message.WrittenSpan;
                if (span.IndexOf(counters.DataToken) >= 0)
                {
                    counters.OnData();
                }
                else if (span.IndexOf(counters.SyncToken) >= 0)
                {
                    counters.OnSync(index);
                }
                message.ResetWrittenCount();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // Connection torn down (server stopped, or our own timeout): nothing more to count.
        }
    }

    // The receive loops own ReceiveAsync, so close with CloseOutputAsync and let each loop read the server's
    // close frame; then dispose whatever did not finish in time.
    private static async Task CloseAsync(ClientWebSocket[] sockets, Task[] receivers, int batch)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        for (var start = 0; start < sockets.Length; start += batch)
        {
            var closes = new List<Task>(batch);
            for (var i = start; i < Math.Min(sockets.Length, start + batch); i++)
            {
                closes.Add(CloseOutputAsync(sockets[i], deadline.Token));
            }
            await Task.WhenAll(closes);
        }
        await Task.WhenAll(receivers).WaitAsync(deadline.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }
    }

    private static async Task CloseOutputAsync(ClientWebSocket socket, CancellationToken ct)
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
    }
}
