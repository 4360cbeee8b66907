using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ActorSsgi.Fuzz.Tests;

/// <summary>
/// A bounded afl-fuzz run of each harness through tests/ActorSsgi.Fuzz/run.sh (60 s each): no crash, no hang, and
/// executions counted. Needs afl-fuzz and the sharpfuzz tool, which tests/run.sh installs; skipped without them
/// outside CI, failed without them in CI (CI=true), so a CI run cannot pass without fuzzing.
/// </summary>
public sealed partial class FuzzRunSpec
{
    private const int Seconds = 60;

    public static TheoryData<string> Harnesses => FuzzCorpusSpec.Harnesses;

    [SkippableTheory]
    [MemberData(nameof(Harnesses))]
    public async Task A_bounded_run_finds_no_crash_and_no_hang(string harness)
    {
        var tools = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools");
        var missing = new[] { ("afl-fuzz", (string?)null), ("sharpfuzz", tools) }
            .Where(tool => !OnPath(tool.Item1, tool.Item2)).Select(tool => tool.Item1).ToList();
        var ci = Environment.GetEnvironmentVariable("CI") == "true";
        Assert.False(ci && missing.Count > 0, $"CI without {string.Join(" and ", missing)}: tests/run.sh installs them");
        Skip.If(missing.Count > 0, $"{string.Join(" and ", missing)} not installed (tests/run.sh installs them)");

        var script = Path.Combine(RepositoryRoot(), "tests", "ActorSsgi.Fuzz", "run.sh");
        using var run = Process.Start(new ProcessStartInfo("bash", [script, harness, Seconds.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = run.StandardOutput.ReadToEndAsync();
        var errors = run.StandardError.ReadToEndAsync();
        // Build, instrumentation and afl-fuzz's calibration come on top of the fuzzing time.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(Seconds + 180));
        try
        {
            await run.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            run.Kill(entireProcessTree: true);
            throw;
        }

        var summary = await output;
        Assert.True(run.ExitCode == 0, $"run.sh {harness} exited {run.ExitCode}:\n{summary}\n{await errors}");
        var match = Summary().Match(summary);
        Assert.True(match.Success, $"no summary line in:\n{summary}");
        Assert.True(long.Parse(match.Groups["execs"].Value) > 1000, $"too few executions to have fuzzed: {summary}");
        Assert.Equal("0", match.Groups["crashes"].Value);
        Assert.Equal("0", match.Groups["hangs"].Value);
    }

    private static bool OnPath(string name, string? extra) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append(extra ?? "")
            .Any(folder => folder.Length > 0 && File.Exists(Path.Combine(folder, name)));

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ActorSsgi.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("ActorSsgi.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"fuzz \S+: (?<execs>\d+) executions .* (?<crashes>\d+) crashes, (?<hangs>\d+) hangs")]
    private static partial Regex Summary();
}
