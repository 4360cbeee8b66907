using System.Reflection;

namespace ActorSsgi.Packaging.Tests;

/// <summary>What the test project's build baked in: where the repository is and which build of it to pack.</summary>
internal static class BuildInfo
{
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    public static string ApprovedDirectory { get; } = Metadata("ApprovedDirectory");

    /// <summary>The configuration the libraries were built in alongside these tests (Release under tests/run.sh).</summary>
    public static string Configuration { get; } = Metadata("Configuration");

    /// <summary>The version every package carries (VersionPrefix in Directory.Build.props).</summary>
    public static string PackageVersion { get; } = Metadata("PackageVersion");

    private static string Metadata(string key) =>
        typeof(BuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == key).Value!;
}
