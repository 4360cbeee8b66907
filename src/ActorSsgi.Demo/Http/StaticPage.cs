namespace ActorSsgi.Demo.Http;

/// <summary>The pages at <c>/</c> and <c>/dashboard</c>, embedded in the assembly and read once.</summary>
internal static class StaticPage
{
    public static readonly byte[] Index = Load("index.html");

    public static readonly byte[] Dashboard = Load("dashboard.html");

    private static byte[] Load(string name)
    {
        var assembly = typeof(StaticPage).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith(name, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
