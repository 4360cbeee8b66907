namespace ActorSsgi.Fuzz;

/// <summary>What one replayed input did: null <see cref="Failure"/> when it passed.</summary>
public sealed record ReplayOutcome(string Path, string? Failure);

/// <summary>
/// Runs inputs through a harness without AFL: the corpus as a regression suite, or afl-fuzz's crashes/ and hangs/
/// to reproduce a finding. A timed-out input is reported as a hang (its thread cannot be stopped, so the caller
/// should end the process soon after).
/// </summary>
public static class Replay
{
    /// <summary>How long one input may run before it counts as a hang; afl-fuzz's own bound is in run.sh.</summary>
    public static readonly TimeSpan HangTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The input files under <paramref name="paths"/> (files, or folders searched recursively), in a stable
    /// order, without AFL's README.txt and the dictionaries.</summary>
    public static IReadOnlyList<string> Inputs(IEnumerable<string> paths) => paths
        .SelectMany(path => Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories) : [path])
        .Where(file => Path.GetFileName(file) is var name && name != "README.txt" && !name.EndsWith(".dict", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>Replays each input of <paramref name="paths"/> through <paramref name="harness"/>, each within
    /// <paramref name="hangTimeout"/> (<see cref="HangTimeout"/> by default).</summary>
    public static IReadOnlyList<ReplayOutcome> Run(IFuzzHarness harness, IEnumerable<string> paths, TimeSpan? hangTimeout = null)
    {
        var timeout = hangTimeout ?? HangTimeout;
        var outcomes = new List<ReplayOutcome>();
        foreach (var file in Inputs(paths))
        {
            var input = File.ReadAllBytes(file);
            var run = Task.Run(() => FuzzHarnesses.RunOne(harness, input));
            string? failure;
            try
            {
                failure = run.Wait(timeout) ? null : $"hang: still running after {timeout.TotalSeconds:0.#} s";
            }
            catch (AggregateException error)
            {
                failure = error.InnerException!.ToString();
            }

            outcomes.Add(new ReplayOutcome(file, failure));
            if (failure?.StartsWith("hang", StringComparison.Ordinal) == true)
            {
                break;
            }
        }

        return outcomes;
    }
}
