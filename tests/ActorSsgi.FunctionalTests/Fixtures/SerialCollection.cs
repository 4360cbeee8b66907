namespace ActorSsgi.FunctionalTests.Fixtures;

/// <summary>
/// Tests that measure the machine (memory, timing of a process's shutdown): xunit runs this collection on its own,
/// after the parallel ones, so other tests neither steal their CPU nor skew their numbers.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial: measured";
}
