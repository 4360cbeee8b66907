using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ActorSsgi.Packaging.Tests;

/// <summary>
/// Issue 15 item 6: the packages are enough on their own. A fresh console app that references the ActorSsgi package
/// from the packed feed (no ProjectReference, nothing of the repository's build) restores, builds, and serves the
/// README's hello over a real socket.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed partial class ConsumerAppSpec(PackedFeed feed)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan ListenTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_console_app_on_the_package_alone_must_build_and_serve_hello()
    {
        var app = Directory.CreateDirectory(Path.Combine(feed.Root, "app")).FullName;
        var remoteSources = ParseSources(await DotnetCommand.RunAsync(app, TimeSpan.FromMinutes(1), "nuget", "list", "source", "--format", "Short"));
        var project = ConsumerApp.Write(app, feed.FeedDirectory, Path.Combine(feed.Root, "packages"), remoteSources);

        await DotnetCommand.RunAsync(app, BuildTimeout,
            "build", project, "-c", "Release", "-nodeReuse:false", "-p:UseSharedCompilation=false");

        AssertRestoredAsPackage(Path.Combine(app, "obj", "project.assets.json"), "ActorSsgi");
        AssertRestoredAsPackage(Path.Combine(app, "obj", "project.assets.json"), "ActorSsgi.Abstractions");

        await using var server = await ServerProcess.StartAsync(Path.Combine(app, "bin", "Release", "net10.0", "HelloApp.dll"), ListenTimeout);
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("packaging-spec/1.0");

        using var response = await client.GetAsync("/hello");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Hello, packaging-spec/1.0!", await response.Content.ReadAsStringAsync());
    }

    /// <summary>The enabled sources of <c>dotnet nuget list source --format Short</c> ("E url" lines).</summary>
    private static List<string> ParseSources(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("E ", StringComparison.Ordinal))
            .Select(line => line[2..].Trim())
            .ToList();

    /// <summary>The restore took <paramref name="id"/> from a package at the packed version, not from a project.</summary>
    private static void AssertRestoredAsPackage(string assetsFile, string id)
    {
        using var assets = JsonDocument.Parse(File.ReadAllText(assetsFile));
        var key = $"{id}/{BuildInfo.PackageVersion}";
        Assert.True(assets.RootElement.GetProperty("libraries").TryGetProperty(key, out var library), $"{key} is not in {assetsFile}.");
        Assert.Equal("package", library.GetProperty("type").GetString());
    }

    /// <summary>The built app as a real process on 127.0.0.1:0; the bound address is read from its log line.</summary>
    private sealed partial class ServerProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _output = new();
        private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private ServerProcess(Process process) => _process = process;

        public Uri BaseAddress { get; private set; } = null!;

        public static async Task<ServerProcess> StartAsync(string dll, TimeSpan timeout)
        {
            Assert.True(File.Exists(dll), $"The app was not built at {dll}.");
            var start = DotnetCommand.StartInfo(Path.GetDirectoryName(dll)!, dll, "--urls", "http://127.0.0.1:0");
            var server = new ServerProcess(new Process { StartInfo = start, EnableRaisingEvents = true });
            server._process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
            server._process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
            // An early exit fails the wait at once instead of after the whole timeout.
            server._process.Exited += (_, _) => server._listening.TrySetException(
                new InvalidOperationException($"The app exited before listening:\n{string.Join('\n', server._output)}"));
            server._process.Start();
            server._process.BeginOutputReadLine();
            server._process.BeginErrorReadLine();
            try
            {
                server.BaseAddress = await server._listening.Task.WaitAsync(timeout);
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }

            return server;
        }

        private void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            _output.Enqueue(line);
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                _listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await _process.WaitForExitAsync(cts.Token);
                }
            }
            catch (InvalidOperationException)
            {
                // Exited between the check and the kill.
            }

            _process.Dispose();
        }

        [GeneratedRegex(@"ActorSsgi listening on (https?://\S+)")]
        private static partial Regex ListeningLine();
    }
}
