using System.Reflection;
using PublicApiGenerator;

namespace ActorSsgi.Packaging.Tests;

/// <summary>
/// Issue 15 item 7: each package's public API is pinned. The API text PublicApiGenerator reads from the built assembly
/// must equal <c>approved/NAME.approved.txt</c>; any change (added, removed or altered member) fails until a person has
/// looked at it and approved it by copying the written <c>.received.txt</c> over the approved file (docs/packages.md).
/// </summary>
public sealed class PublicApiSpec
{
    /// <summary>Every library package (the tool has no API to pin), by its assembly name; the project references
    /// put each assembly next to the tests.</summary>
    public static TheoryData<string> Packages => new()
    {
        "ActorSsgi.Abstractions",
        "ActorSsgi",
        "ActorSsgi.Cluster",
        "ActorSsgi.TestKit",
        "ActorSsgi.Streams",
        "ActorSsgi.AspNetCore",
        "ActorSsgi.Python",
    };

    [Theory]
    [MemberData(nameof(Packages))]
    public void The_public_API_must_match_the_approved_one(string package)
    {
        var assembly = Assembly.Load(package);
        var received = Normalise(assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            // Only what a caller can use: the InternalsVisibleTo list and compiler attributes are not part of the API.
            IncludeAssemblyAttributes = false,
        }));

        var approvedPath = Path.Combine(BuildInfo.ApprovedDirectory, package + ".approved.txt");
        var receivedPath = Path.Combine(BuildInfo.ApprovedDirectory, package + ".received.txt");
        var approved = File.Exists(approvedPath) ? Normalise(File.ReadAllText(approvedPath)) : null;
        if (received == approved)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, received);
        Assert.Fail(approved is null
            ? $"{package} has no approved public API yet. Review {receivedPath}, then approve it with\n  cp {receivedPath} {approvedPath}"
            : $"{package}'s public API changed. Compare with\n  diff -u {approvedPath} {receivedPath}\n" +
              $"and, if the change is intended, approve it with\n  cp {receivedPath} {approvedPath}\n" +
              FirstDifference(approved, received));
    }

    /// <summary>\n line ends and one final newline, whatever wrote the file (an editor on Windows, git's autocrlf).</summary>
    private static string Normalise(string text) => text.ReplaceLineEndings("\n").TrimEnd('\n') + "\n";

    private static string FirstDifference(string approved, string received)
    {
        var a = approved.Split('\n');
        var r = received.Split('\n');
        var line = 0;
        while (line < a.Length && line < r.Length && a[line] == r[line])
        {
            line++;
        }

        return $"First difference at line {line + 1}:\n  approved: {(line < a.Length ? a[line] : "<end>")}\n  received: {(line < r.Length ? r[line] : "<end>")}";
    }
}
