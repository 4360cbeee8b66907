using System.Buffers.Binary;
using ActorSsgi.Hosting.Strict;

namespace ActorSsgi.Fuzz.Harnesses;

/// <summary>
/// The strict HTTP/1.1 filter on a fuzzed connection's bytes. The first two input bytes seed how the rest is cut into
/// reads (so one input always replays the same way); the rest is what the client sent. First
/// <see cref="StrictHttp1Parser"/> alone: its verdict, the offset and reason of a violation and where the offending
/// unit starts must not depend on how the bytes arrive (whole, a byte at a time, or in seeded pieces), and its offsets
/// only move forward and stay within what it was fed. Then <see cref="StrictHttp1Reader"/> over a
/// <see cref="System.IO.Pipelines.Pipe"/>, read as Kestrel reads (<see cref="StrictHttpReaderCheck"/>). The filter
/// answers hostile input with a verdict, never an exception, so no exception is expected.
/// </summary>
public sealed class StrictHttpHarness : IFuzzHarness
{
    /// <inheritdoc />
    public string Name => "strict-http";

    /// <inheritdoc />
    public bool IsExpected(Exception exception) => false;

    /// <inheritdoc />
    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length < 2)
        {
            return;
        }

        var seed = BinaryPrimitives.ReadUInt16LittleEndian(input);
        var data = input[2..].ToArray();
        var whole = Outcome.Of(data, [data.Length]);
        var byByte = Outcome.Of(data, Enumerable.Repeat(1, data.Length).ToArray());
        var pieces = Pieces(data.Length, new Random(seed));
        var seeded = Outcome.Of(data, pieces);
        Check(whole == byByte, $"fed whole: {whole}; a byte at a time: {byByte}");
        Check(whole == seeded, $"fed whole: {whole}; in pieces [{string.Join(",", pieces)}]: {seeded}");
        StrictHttpReaderCheck.Run(data, whole, new Random(seed ^ 0x3C3C));
    }

    /// <summary>Sizes of the reads the input is cut into, as a socket delivers them (mostly small, sometimes large).</summary>
    internal static int[] Pieces(int length, Random random)
    {
        var pieces = new List<int>();
        for (var left = length; left > 0;)
        {
            var size = Math.Min(left, random.Next(3) == 0 ? random.Next(1, 2048) : random.Next(1, 16));
            pieces.Add(size);
            left -= size;
        }

        return [.. pieces];
    }

    internal static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(message);
        }
    }

    /// <summary>What the parser made of a whole input; a record, so two ways of feeding it compare by value.</summary>
    internal sealed record Outcome(StrictVerdict Verdict, long Processed, long UnitStart, long SafeEnd, string? Reason, string Poison)
    {
        /// <summary>Feeds <paramref name="data"/> cut into <paramref name="pieces"/>, checking each step's offsets.</summary>
        public static Outcome Of(byte[] data, int[] pieces)
        {
            var parser = new StrictHttp1Parser();
            var verdict = StrictVerdict.Continue;
            long fed = 0, processed = 0, unitStart = 0, safeEnd = 0;
            foreach (var size in pieces)
            {
                verdict = parser.Feed(data.AsSpan((int)fed, size));
                fed += size;
                Check(parser.Processed >= processed && parser.UnitStart >= unitStart && parser.SafeEnd >= safeEnd,
                    $"offsets went back after {fed} bytes: Processed {processed} -> {parser.Processed}, UnitStart {unitStart} -> {parser.UnitStart}, SafeEnd {safeEnd} -> {parser.SafeEnd}");
                processed = parser.Processed;
                unitStart = parser.UnitStart;
                safeEnd = parser.SafeEnd;
                Check(unitStart <= processed && safeEnd <= processed && safeEnd >= unitStart,
                    $"after {fed} bytes: UnitStart {unitStart}, SafeEnd {safeEnd}, Processed {processed} out of order");
                Check((verdict == StrictVerdict.Violation) == (parser.Reason is not null), $"verdict {verdict} with reason '{parser.Reason}'");
                if (verdict == StrictVerdict.Violation)
                {
                    Check(processed < fed, $"a violation at {processed}, not within the {fed} bytes fed");
                    // After a violation nothing more need be fed, and feeding more (at least a byte) changes nothing.
                    var again = parser.Feed([.. data.AsSpan((int)fed), (byte)'x']);
                    Check(again == StrictVerdict.Violation && parser.Processed == processed && parser.UnitStart == unitStart,
                        $"fed after a violation: {again}, Processed {parser.Processed}, UnitStart {parser.UnitStart}");
                    break;
                }

                Check(processed == fed, $"{verdict} after {fed} bytes with Processed {processed}");
            }

            Check(parser.Poison.SequenceEqual("X\r\n"u8) || parser.Poison.SequenceEqual("\u0001\r\n\r\n"u8), "an unknown poison");
            return new Outcome(verdict, processed, unitStart, safeEnd, parser.Reason, Convert.ToHexString(parser.Poison));
        }
    }
}
