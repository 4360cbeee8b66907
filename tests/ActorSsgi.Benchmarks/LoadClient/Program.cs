// Load generator for the scenarios wrk cannot drive: WebSocket echo, idle sessions, room fan-out, 1 GiB streaming,
// cold start (rate per 100 ms from a fresh process) and open-loop fixed-rate latency.
// Output is one "key=value" per line on stdout (run.sh greps it); diagnostics go to stderr.
// Every mode is bounded by its own counts/durations and, as a backstop, by --timeout-seconds.
using LoadClient;

var options = Options.Parse(args);
var timeout = TimeSpan.FromSeconds(options.GetDouble("timeout-seconds", 300));

// Cooperative cancellation first; if a mode ignores it (e.g. a socket stuck in the kernel), exit hard.
using var cancellation = new CancellationTokenSource(timeout);
_ = Task.Delay(timeout + TimeSpan.FromSeconds(15)).ContinueWith(_ =>
{
    Console.Error.WriteLine($"loadclient: {options.Mode} still running {timeout.TotalSeconds + 15} s after start; exiting");
    Environment.Exit(3);
}, TaskScheduler.Default);

try
{
    return options.Mode switch
    {
        "echo" => await EchoMode.RunAsync(options, cancellation.Token),
        "idle" => await IdleMode.RunAsync(options, cancellation.Token),
        "fanout" => await FanoutMode.RunAsync(options, cancellation.Token),
        "stream" => await StreamMode.RunAsync(options, cancellation.Token),
        "coldstart" => await ColdStartMode.RunAsync(options, cancellation.Token),
        "fixedrate" => await FixedRateMode.RunAsync(options, cancellation.Token),
        _ => Usage(),
    };
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine($"loadclient: {options.Mode} timed out after {timeout.TotalSeconds} s");
    return 2;
}
catch (OptionException ex)
{
    Console.Error.WriteLine($"loadclient: {ex.Message}");
    return Usage();
}
catch (Exception ex)
{
    Console.Error.WriteLine($"loadclient: {options.Mode} failed: {ex}");
    return 1;
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage: LoadClient <mode> [options]        (all modes: --server-pid PID --timeout-seconds S)
          echo   --url ws://HOST:PORT/ws/echo --sessions 32 --size 32 --seconds 10 [--warmup-seconds 2]
          idle   --url ws://HOST:PORT/ws/echo --sessions 10000 --hold-seconds 5 [--batch 200] [--hold-until-file PATH]
          fanout --url ws://HOST:PORT/ws/chat?room=bench --sessions 10000 --messages 20 [--batch 200]
          stream --url http://HOST:PORT/stream --bytes 1073741824
          coldstart --port PORT --ready-file F --spawn-file F [--connections 64 --pipeline 16 --seconds 15 --bucket-ms 100]
          fixedrate --url http://HOST:PORT/plaintext --rate 20000 [--connections 64 --seconds 10 --warmup-seconds 2]
        --server-pid lets the client sample the server's /proc entry at the exact start/end of a measured phase.
        """);
    return 64;
}
