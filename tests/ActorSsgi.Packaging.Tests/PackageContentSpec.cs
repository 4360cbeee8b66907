using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text;
using System.Xml.Linq;

namespace ActorSsgi.Packaging.Tests;

/// <summary>
/// Issue 15 item 6: what is inside the packed packages: the metadata nuget.org shows, the README, the XML docs, the
/// symbols with their source link, and the actorssgi command in the tool package.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class PackageContentSpec(PackedFeed feed)
{
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    [Theory]
    [InlineData("ActorSsgi.Abstractions")]
    [InlineData("ActorSsgi")]
    [InlineData("ActorSsgi.Cli")]
    public void The_nuspec_must_carry_the_package_metadata(string id)
    {
        using var package = ZipFile.OpenRead(feed.PackagePath(id));
        var metadata = Nuspec(package, id);

        Assert.Equal(id, Value(metadata, "id"));
        Assert.Equal(BuildInfo.PackageVersion, Value(metadata, "version"));
        Assert.Equal("Apache-2.0", Value(metadata, "license"));
        Assert.Equal("expression", metadata.Element(metadata.Name.Namespace + "license")!.Attribute("type")?.Value);
        Assert.False(string.IsNullOrWhiteSpace(Value(metadata, "description")));
        Assert.False(string.IsNullOrWhiteSpace(Value(metadata, "tags")));
        Assert.StartsWith("https://", Value(metadata, "projectUrl"));
        Assert.EndsWith("/CHANGELOG.md", Value(metadata, "releaseNotes"));

        var readme = Value(metadata, "readme");
        Assert.Equal("README.md", readme);
        Assert.StartsWith("# ", Read(package, readme));

        var repository = metadata.Element(metadata.Name.Namespace + "repository")!;
        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.StartsWith("https://", repository.Attribute("url")?.Value);
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? "");
    }

    [Theory]
    [InlineData("ActorSsgi.Abstractions")]
    [InlineData("ActorSsgi")]
    public void A_library_must_ship_its_XML_docs_and_symbols_with_a_source_link(string id)
    {
        using var package = ZipFile.OpenRead(feed.PackagePath(id));
        Assert.NotNull(package.GetEntry($"lib/net10.0/{id}.dll"));
        Assert.Contains("<member name=", Read(package, $"lib/net10.0/{id}.xml"));

        using var symbols = ZipFile.OpenRead(feed.PackagePath(id, "snupkg"));
        var sourceLink = SourceLinkJson(symbols.GetEntry($"lib/net10.0/{id}.pdb") ?? throw new Xunit.Sdk.XunitException($"No PDB in {id}.snupkg."));

        // Every source file maps to the raw file at the built commit, so a debugger fetches exactly that source (the
        // commit is not compared with the nuspec's: a commit made between the build and this --no-build pack moves it).
        Assert.Matches("""^\{"documents":\{"[^"]+/\*":"https://[^"]+/[0-9a-f]{40}/\*"\}\}$""", sourceLink);
    }

    [Fact]
    public void The_tool_package_must_hold_the_actorssgi_command()
    {
        using var package = ZipFile.OpenRead(feed.PackagePath("ActorSsgi.Cli"));
        var metadata = Nuspec(package, "ActorSsgi.Cli");
        var packageType = metadata.Element(metadata.Name.Namespace + "packageTypes")?.Elements().Select(e => e.Attribute("name")?.Value);
        Assert.Equal(["DotnetTool"], packageType ?? []);

        var settingsEntry = package.Entries.SingleOrDefault(e => e.FullName.StartsWith("tools/net10.0/", StringComparison.Ordinal) && e.Name == "DotnetToolSettings.xml");
        Assert.True(settingsEntry is not null, "No tools/net10.0/*/DotnetToolSettings.xml in the tool package.");
        var command = XDocument.Parse(Read(package, settingsEntry.FullName)).Descendants("Command").Single();
        Assert.Equal("actorssgi", command.Attribute("Name")?.Value);

        var entryPoint = command.Attribute("EntryPoint")!.Value;
        var toolDirectory = settingsEntry.FullName[..^settingsEntry.Name.Length];
        Assert.NotNull(package.GetEntry(toolDirectory + entryPoint));
        // The command reads its actor-system defaults from next to itself.
        Assert.NotNull(package.GetEntry(toolDirectory + "akka.hocon"));
    }

    private static XElement Nuspec(ZipArchive package, string id)
    {
        var nuspec = XDocument.Parse(Read(package, id + ".nuspec"));
        return nuspec.Root!.Element(nuspec.Root.Name.Namespace + "metadata")!;
    }

    private static string Value(XElement metadata, string name) =>
        metadata.Element(metadata.Name.Namespace + name)?.Value ?? throw new Xunit.Sdk.XunitException($"The nuspec has no <{name}>.");

    private static string Read(ZipArchive package, string entryName)
    {
        var entry = package.GetEntry(entryName) ?? throw new Xunit.Sdk.XunitException($"{entryName} is not in the package.");
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    /// <summary>The SourceLink JSON the compiler wrote into the portable PDB's custom debug information.</summary>
    private static string SourceLinkJson(ZipArchiveEntry pdbEntry)
    {
        var pdb = new MemoryStream();
        using (var stream = pdbEntry.Open())
        {
            stream.CopyTo(pdb);
        }

        pdb.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(pdb);
        var reader = provider.GetMetadataReader();
        foreach (var handle in reader.CustomDebugInformation)
        {
            var information = reader.GetCustomDebugInformation(handle);
            if (reader.GetGuid(information.Kind) == SourceLinkKind)
            {
                return Encoding.UTF8.GetString(reader.GetBlobBytes(information.Value));
            }
        }

        throw new Xunit.Sdk.XunitException($"{pdbEntry.FullName} has no source link.");
    }
}
