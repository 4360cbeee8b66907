namespace ActorSsgi.Packaging.Tests;

/// <summary>
/// A local NuGet feed in a fresh temporary folder with what <c>dotnet pack</c> makes of the contract, the server and
/// the actorssgi tool, packed once for every spec in the collection and deleted afterwards.
/// </summary>
/// <remarks>
/// It packs with <c>--no-build</c> the Release output the test run has just built (the project references make sure
/// of it): a second build would cost a minute on a small machine, and would rewrite binaries that other suites of the
/// same run are loading. The packages are the same ones <c>dotnet pack -c Release -o out</c> at the root makes.
/// </remarks>
public sealed class PackedFeed : IAsyncLifetime
{
    /// <summary>The projects packed, by package id (the tool's is ActorSsgi.Cli: see docs/packages.md).</summary>
    public static readonly string[] Projects = ["ActorSsgi.Abstractions", "ActorSsgi", "ActorSsgi.Cli"];

    public string Root { get; } = Directory.CreateTempSubdirectory("actorssgi-packaging-").FullName;

    public string FeedDirectory => Path.Combine(Root, "feed");

    public string PackagePath(string id, string extension = "nupkg") =>
        Path.Combine(FeedDirectory, $"{id}.{BuildInfo.PackageVersion}.{extension}");

    public async Task InitializeAsync()
    {
        foreach (var project in Projects)
        {
            var csproj = Path.Combine(BuildInfo.RepositoryRoot, "src", project, project + ".csproj");
            await DotnetCommand.RunAsync(BuildInfo.RepositoryRoot, TimeSpan.FromMinutes(2),
                "pack", csproj, "-c", BuildInfo.Configuration, "--no-build", "-o", FeedDirectory, "-nodeReuse:false");
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>The specs that share one <see cref="PackedFeed"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PackedFeedCollection : ICollectionFixture<PackedFeed>
{
    public const string Name = "packed feed";
}
