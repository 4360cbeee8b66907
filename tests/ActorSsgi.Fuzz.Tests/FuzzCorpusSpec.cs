using ActorSsgi.Fuzz;

namespace ActorSsgi.Fuzz.Tests;

/// <summary>Every harness's corpus, found inputs included, replayed in process: the fuzz findings as regressions.</summary>
public sealed class FuzzCorpusSpec
{
    public static TheoryData<string> Harnesses => new(FuzzHarnesses.All.Keys.Order(StringComparer.Ordinal));

    [Fact]
    public void The_registry_finds_the_harnesses_by_name()
    {
        Assert.Equal(["handshake", "mask", "strict-http"], FuzzHarnesses.All.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Harnesses))]
    public void Every_corpus_input_passes_its_harness(string harness)
    {
        var outcomes = Replay.Run(FuzzHarnesses.All[harness], [FuzzHarnesses.CorpusDirectory(harness)]);

        Assert.True(outcomes.Count >= 3, $"the {harness} corpus has {outcomes.Count} inputs");
        Assert.All(outcomes, outcome => Assert.True(outcome.Failure is null, $"{outcome.Path}: {outcome.Failure}"));
    }

    [Fact]
    public void Only_the_expected_exceptions_are_swallowed()
    {
        var harness = new Throwing();

        FuzzHarnesses.RunOne(harness, [1]);
        Assert.Throws<InvalidOperationException>(() => FuzzHarnesses.RunOne(harness, [2]));
        // An invariant that fails is a finding even when the harness would call its type expected.
        Assert.Throws<FuzzInvariantException>(() => FuzzHarnesses.RunOne(harness, [3]));
    }

    [Fact]
    public void A_replayed_input_that_hangs_is_reported_as_a_hang()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, [4]);
            var started = DateTime.UtcNow;

            var outcome = Assert.Single(Replay.Run(new Throwing(), [file], Hang / 4));

            Assert.StartsWith("hang", outcome.Failure);
            Assert.InRange(DateTime.UtcNow - started, Hang / 4, Hang);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(2);

    private sealed class Throwing : IFuzzHarness
    {
        public string Name => "throwing";

        public bool IsExpected(Exception exception) => exception is ArgumentException or FuzzInvariantException;

        public void Run(ReadOnlySpan<byte> input)
        {
            switch (input[0])
            {
                case 1: throw new ArgumentException("documented");
                case 2: throw new InvalidOperationException("not documented");
                case 3: throw new FuzzInvariantException("invariant");
                case 4: Thread.Sleep(Hang); break;
            }
        }
    }
}
