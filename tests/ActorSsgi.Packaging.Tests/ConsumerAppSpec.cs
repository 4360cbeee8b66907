using System.Text.Json;
using ActorSsgi.Tests.Shared;

namespace ActorSsgi.Packaging.Tests;

/// <summary>
/// Issue 15 item 6: the packages are enough on their own. A fresh console app that references the ActorSsgi package
/// from the packed feed (no ProjectReference, nothing of the repository's build) restores, builds, and serves the
/// README's hello over a real socket.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class ConsumerAppSpec(PackedFeed feed)
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

        var dll = Path.Combine(app, "bin", "Release", "net10.0", "HelloApp.dll");
        Assert.True(File.Exists(dll), $"The app was not built at {dll}.");
        await using var server = await DemoSubprocess.StartAsync(DotnetCommand.StartInfo(Path.GetDirectoryName(dll)!, dll, "--urls", "http://127.0.0.1:0"), "the consumer app", ListenTimeout);
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
}
