namespace ActorSsgi.Fuzz;

/// <summary>
/// One fuzz target. A harness is found by <see cref="FuzzHarnesses"/> through reflection, so adding one is adding a
/// file with a class that implements this interface and has a parameterless constructor (docs/fuzzing.md).
/// </summary>
public interface IFuzzHarness
{
    /// <summary>The name the command line selects it by, and the name of its folder under corpus/.</summary>
    string Name { get; }

    /// <summary>Feeds one input to the code under test and checks its invariants, throwing
    /// <see cref="FuzzInvariantException"/> when one does not hold.</summary>
    void Run(ReadOnlySpan<byte> input);

    /// <summary>The exceptions the code under test documents for hostile input; any other one is a finding.</summary>
    bool IsExpected(Exception exception);
}

/// <summary>An invariant of the code under test did not hold: always a finding, never an expected exception.</summary>
public sealed class FuzzInvariantException(string message) : Exception(message);
