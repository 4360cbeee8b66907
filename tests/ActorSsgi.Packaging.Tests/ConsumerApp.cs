using System.Security;

namespace ActorSsgi.Packaging.Tests;

/// <summary>
/// A console app a new user would write, in its own temporary folder outside the repository (so neither
/// Directory.Build.props nor central package management reaches it), that gets ActorSsgi only as a package.
/// </summary>
internal static class ConsumerApp
{
    /// <summary>The README's minimal application, HTTP only.</summary>
    private const string Program = """
        using ActorSsgi;
        using ActorSsgi.Hosting;
        using Microsoft.Extensions.Hosting;

        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddActorSsgi<HelloFramework>(builder.Configuration);
        await builder.Build().RunAsync();

        sealed class HelloFramework : ISsgiFramework
        {
            public SsgiSupported GetSupported(IReadOnlyDictionary<string, string> offered) => new(
                Http: SsgiInterfaces.Bind<ISsgiHttpResponse>(Hello), WebSockets: null);

            static ValueTask Hello(SsgiType type, string server, string remote, string method, string path,
                string query, ISsgiHeaders getHeader, ISsgiHttpResponse res)
            {
                res.SendHeaders(("content-type", "text/plain"));
                res.Send($"Hello, {getHeader.GetHeader("user-agent") ?? "stranger"}!");
                return default;
            }
        }
        """;

    /// <summary>Writes the app into <paramref name="directory"/> and returns its project file.</summary>
    /// <param name="directory">An empty folder.</param>
    /// <param name="feed">The folder holding the packed .nupkg files.</param>
    /// <param name="packagesFolder">A global packages folder of its own: the machine's may hold an older ActorSsgi 0.1.0.</param>
    /// <param name="remoteSources">The machine's own package sources, for ActorSsgi's dependencies.</param>
    public static string Write(string directory, string feed, string packagesFolder, IReadOnlyList<string> remoteSources)
    {
        // Empty files stop MSBuild's upward search for these, wherever the temporary folder is.
        foreach (var guard in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            File.WriteAllText(Path.Combine(directory, guard), "<Project />\n");
        }

        var project = Path.Combine(directory, "HelloApp.csproj");
        File.WriteAllText(project, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ActorSsgi" Version="{BuildInfo.PackageVersion}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), Program);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), NuGetConfig(feed, packagesFolder, remoteSources));
        return project;
    }

    /// <summary>
    /// ActorSsgi packages come only from the feed (source mapping), everything else from the machine's sources, with
    /// the machine's global packages folder first as a plain local source so what it already holds is not fetched again.
    /// </summary>
    private static string NuGetConfig(string feed, string packagesFolder, IReadOnlyList<string> remoteSources)
    {
        var machineCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var others = new List<string>();
        if (System.IO.Directory.Exists(machineCache))
        {
            others.Add(machineCache);
        }

        others.AddRange(remoteSources);
        var sources = string.Concat(others.Select((source, i) => $"""    <add key="machine{i}" value="{Escape(source)}" />{"\n"}"""));
        var mapped = string.Concat(others.Select((_, i) => $"""    <packageSource key="machine{i}"><package pattern="*" /></packageSource>{"\n"}"""));
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Escape(packagesFolder)}" />
              </config>
              <packageSources>
                <clear />
                <add key="actorssgi" value="{Escape(feed)}" />
            {sources}  </packageSources>
              <packageSourceMapping>
                <packageSource key="actorssgi"><package pattern="ActorSsgi" /><package pattern="ActorSsgi.*" /></packageSource>
            {mapped}  </packageSourceMapping>
            </configuration>
            """;
    }

    private static string Escape(string value) => SecurityElement.Escape(value);
}
