using System.CommandLine;
using ActorSsgi.Fuzz;
using SharpFuzz;

// `ActorSsgi.Fuzz HARNESS` is the target afl-fuzz starts (tests/ActorSsgi.Fuzz/run.sh); `ActorSsgi.Fuzz replay
// HARNESS [PATH...]` runs files through it without AFL, the harness's corpus when no path is given.
var names = FuzzHarnesses.All.Keys.Order(StringComparer.Ordinal).ToArray();

var fuzzHarness = new Argument<string>("HARNESS") { Description = "The harness afl-fuzz drives." };
fuzzHarness.AcceptOnlyFromAmong(names);
var root = new RootCommand("ActorSsgi's fuzz harnesses (docs/fuzzing.md).") { fuzzHarness };
root.SetAction(parse =>
{
    var harness = FuzzHarnesses.All[parse.GetValue(fuzzHarness)!];
    // Out of process: SharpFuzz keeps a supervisor between afl-fuzz and the process that runs the inputs, so a
    // finding that kills the runtime (stack overflow, fail-fast) is still reported as a crash.
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        FuzzHarnesses.RunOne(harness, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    });
    return 0;
});

var replayHarness = new Argument<string>("HARNESS") { Description = "The harness to replay through." };
replayHarness.AcceptOnlyFromAmong(names);
var replayPaths = new Argument<string[]>("PATH")
{
    Description = "Input files or folders (afl-fuzz's crashes/ and hangs/ too); the harness's corpus when none.",
    Arity = ArgumentArity.ZeroOrMore,
};
var replay = new Command("replay", "Run inputs through a harness without AFL; exit 1 when one fails.") { replayHarness, replayPaths };
replay.SetAction(parse =>
{
    var name = parse.GetValue(replayHarness)!;
    var paths = parse.GetValue(replayPaths) is { Length: > 0 } given ? given : [FuzzHarnesses.CorpusDirectory(name)];
    var outcomes = Replay.Run(FuzzHarnesses.All[name], paths);
    foreach (var outcome in outcomes.Where(outcome => outcome.Failure is not null))
    {
        Console.Error.WriteLine($"FAIL {outcome.Path}\n{outcome.Failure}");
    }

    var failed = outcomes.Count(outcome => outcome.Failure is not null);
    Console.WriteLine($"replay {name}: {outcomes.Count} inputs, {failed} failed");
    // A hung input's thread is still running: leave without waiting for it.
    Environment.Exit(failed == 0 && outcomes.Count > 0 ? 0 : 1);
    return 0;
});
root.Subcommands.Add(replay);

return root.Parse(args).Invoke();
