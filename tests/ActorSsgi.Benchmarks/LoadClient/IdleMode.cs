namespace LoadClient;

/// <summary>
/// Opens N sessions that then send nothing, and reports how much the server's RSS grew: the per-connection
/// memory cost of an idle WebSocket, which is what decides how many users one box can hold.
/// </summary>
/// <remarks>
/// With <c>--hold-until-file PATH</c> the client only opens its sessions, prints <c>opened=N</c>, and keeps them
/// open until PATH exists. The harness uses that to spread one measurement over several client processes: a
/// process may hold no more sockets than its open-file limit, and 20,000 sessions need more than one.
/// </remarks>
internal static class IdleMode
{
    public static async Task<int> RunAsync(Options options, CancellationToken ct)
    {
        var url = new Uri(options.GetString("url"));
        var sessions = options.GetInt("sessions", 10_000);
        var batch = options.GetInt("batch", 200);
        var hold = TimeSpan.FromSeconds(options.GetDouble("hold-seconds", 5));
        var releaseFile = options.GetOptionalString("hold-until-file");
        var probe = ServerProbe.FromOptions(options);

        var rssBefore = probe?.RssKiB();
        var sockets = await Sessions.OpenAsync(url, sessions, batch, ct);
        Report.Value("opened", sessions);
        Console.Out.Flush();

        if (releaseFile is not null)
        {
            // Bounded by --timeout-seconds through ct; the harness creates the file once it has read the server.
            while (!File.Exists(releaseFile))
            {
                await Task.Delay(100, ct);
            }
        }
        else
        {
            // Give the server time to finish per-session set-up (actors, buffers) before reading its RSS.
            await Task.Delay(hold, ct);
            if (probe is not null && rssBefore is { } before)
            {
                var after = probe.RssKiB();
                Report.Value("rss_before_kib", before);
                Report.Value("rss_after_kib", after);
                Report.Value("bytes_per_session", (after - before) * 1024.0 / sessions);
            }
        }

        await Sessions.CloseAsync(sockets, batch, TimeSpan.FromSeconds(30));
        return 0;
    }
}
