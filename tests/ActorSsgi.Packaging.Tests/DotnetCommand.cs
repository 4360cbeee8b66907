using System.Diagnostics;
using System.Text;

namespace ActorSsgi.Packaging.Tests;

/// <summary>
/// The <c>dotnet</c> CLI as a child process, run to its end within a bounded time, its output kept for the failure
/// message. The child gets none of the test host's MSBuild variables (a nested build must resolve its own SDK and
/// project, not the test run's), and leaves no MSBuild node or compiler server behind.
/// </summary>
internal static class DotnetCommand
{
    public static ProcessStartInfo StartInfo(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(name);
            }
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        return start;
    }

    /// <summary>Runs <c>dotnet ARGS</c> and fails the test with its output unless it exits 0 in time.</summary>
    public static async Task<string> RunAsync(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var output = new StringBuilder();
        using var process = new Process { StartInfo = StartInfo(workingDirectory, args) };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', args)} did not end within {timeout}:\n{Text(output)}");
        }

        // WaitForExitAsync also waits for the redirected streams' end, so the output is complete here.
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', args)} exited {process.ExitCode}:\n{Text(output)}");
        return Text(output);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
