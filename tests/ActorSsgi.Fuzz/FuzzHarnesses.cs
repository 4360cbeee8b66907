using System.Reflection;

namespace ActorSsgi.Fuzz;

/// <summary>The registry of harnesses, and the one place that decides what an input's outcome means.</summary>
public static class FuzzHarnesses
{
    /// <summary>Every harness of this assembly, by name.</summary>
    public static IReadOnlyDictionary<string, IFuzzHarness> All { get; } = typeof(FuzzHarnesses).Assembly.GetTypes()
        .Where(type => type is { IsClass: true, IsAbstract: false } && typeof(IFuzzHarness).IsAssignableFrom(type))
        .Select(type => (IFuzzHarness)Activator.CreateInstance(type)!)
        .ToDictionary(harness => harness.Name, StringComparer.Ordinal);

    /// <summary>Runs one input: an expected exception is an ordinary outcome and is swallowed; any other exception,
    /// an invariant that failed included, escapes, which is what makes SharpFuzz report a crash to afl-fuzz.</summary>
    public static void RunOne(IFuzzHarness harness, ReadOnlySpan<byte> input)
    {
        try
        {
            harness.Run(input);
        }
        catch (Exception exception) when (exception is not FuzzInvariantException && harness.IsExpected(exception))
        {
        }
    }

    /// <summary>The corpus folder of <paramref name="harness"/> as copied beside the assembly.</summary>
    public static string CorpusDirectory(string harness) =>
        Path.Combine(Path.GetDirectoryName(Assembly.GetExecutingAssembly().Location)!, "corpus", harness);
}
