using System.Diagnostics;
using Xunit.Abstractions;

namespace ActorSsgi.FunctionalTests.WebSockets;

/// <summary>
/// An independent client: python/ws_checks.py with Debian's python3-websockets (10.4) and hand-written frames
/// (invalid UTF-8, unmasked frames, reserved bits) that no client library sends. Runs /usr/bin/python3 explicitly,
/// not whatever python3 is first on PATH.
/// </summary>
public sealed class PythonClientTests(WsServerFixture fixture, ITestOutputHelper output) : IClassFixture<WsServerFixture>
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task The_python_websockets_client_and_hand_written_frames_pass_every_check()
    {
        var script = Path.Combine(RepositoryRoot(), "tests", "ActorSsgi.FunctionalTests", "python", "ws_checks.py");
        Assert.True(File.Exists(script), $"{script} is missing.");
        Assert.True(File.Exists(Python), $"{Python} is missing: apt-get install -y python3 python3-websockets");

        var (exitCode, text) = await RunAsync(Python, script, fixture.Server.BaseAddress.ToString());
        output.WriteLine(text);

        Assert.False(text.Contains("No module named", StringComparison.Ordinal) || exitCode == 3,
            $"{Python} has no websockets module: apt-get install -y python3-websockets\n{text}");
        Assert.True(exitCode == 0, $"ws_checks.py exited with {exitCode}:\n{text}");
        Assert.Contains("PASS invalid_utf8_text", text);
    }

    internal static async Task<(int ExitCode, string Output)> RunAsync(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Debian's interpreter with Debian's packages only: no user site or PYTHONPATH from the environment.
        start.Environment.Remove("PYTHONPATH");
        start.Environment.Remove("PYTHONHOME");
        start.Environment["PYTHONNOUSERSITE"] = "1";
        start.Environment["PYTHONUNBUFFERED"] = "1";
        start.Environment["PYTHONIOENCODING"] = "utf-8";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish in 90 s:\n{await stdout}\n{await stderr}");
        }

        var text = await stdout;
        var errors = await stderr;
        return (process.ExitCode, errors.Length == 0 ? text : text + "\n--- stderr ---\n" + errors);
    }

    /// <summary>
    /// The directory with ActorSsgi.sln: above the test binaries, or (when built with --artifacts-path elsewhere)
    /// above the working directory or this source file.
    /// </summary>
    internal static string RepositoryRoot()
    {
        string[] starts = [AppContext.BaseDirectory, Environment.CurrentDirectory, SourceDirectory()];
        foreach (var start in starts)
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "ActorSsgi.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException($"No ActorSsgi.sln above any of: {string.Join(", ", starts)}.");
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? ".";
}
