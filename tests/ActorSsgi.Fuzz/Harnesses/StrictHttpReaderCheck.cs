using System.Buffers;
using System.IO.Pipelines;
using ActorSsgi.Hosting.Strict;
using Microsoft.Extensions.Logging.Abstractions;
using static ActorSsgi.Fuzz.Harnesses.StrictHttpHarness;

namespace ActorSsgi.Fuzz.Harnesses;

/// <summary>
/// <see cref="StrictHttp1Reader"/> over a <see cref="Pipe"/> the client's bytes are written into in seeded pieces,
/// read as Kestrel reads a connection: <c>ReadAsync</c> and <c>TryRead</c> mixed, <c>AdvanceTo</c> with
/// <c>consumed</c> at a line's end (Kestrel consumes a head line by line, never part of one) and <c>examined</c>
/// anywhere from there to the end. What the reader yields must be the input byte for byte when the parser accepts
/// it, and the input before the offending unit followed by the parser's poison when it does not; chunked framing
/// must not be shown before the parser has it whole, unless the input has ended.
/// </summary>
internal static class StrictHttpReaderCheck
{
    // Inline schedulers: a write completes a pending read on this thread, so one input replays one way.
    private static readonly PipeOptions Options = new(pauseWriterThreshold: 0, resumeWriterThreshold: 0,
        readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);

    public static void Run(byte[] data, StrictHttpHarness.Outcome whole, Random random)
    {
        byte[] expected = whole.Verdict == StrictVerdict.Violation
            ? [.. data.AsSpan(0, (int)whole.UnitStart), .. Convert.FromHexString(whole.Poison)]
            : data;
        var pipe = new Pipe(Options);
        var reader = new StrictHttp1Reader(pipe.Reader, NullLogger.Instance, "fuzz");
        // The same input fed to a parser as it is written: the reader may show no more than its SafeEnd.
        var reference = new StrictHttp1Parser();
        var referenceVerdict = StrictVerdict.Continue;
        var pieces = Pieces(data.Length, random);
        var written = 0;
        var piece = 0;
        var writerDone = false;

        void WriteMore()
        {
            Check(!writerDone, "the reader waits for more after the input ended");
            if (piece == pieces.Length)
            {
                pipe.Writer.Complete();
                writerDone = true;
                return;
            }

            var bytes = data.AsSpan(written, pieces[piece++]);
            if (referenceVerdict == StrictVerdict.Continue)
            {
                referenceVerdict = reference.Feed(bytes);
            }

            pipe.Writer.Write(bytes);
            written += bytes.Length;
            Check(pipe.Writer.FlushAsync().IsCompleted, "a flush waited although the pipe never pauses");
        }

        var delivered = new List<byte>(expected.Length + 8);
        var stalls = 0;
        var bound = 4 * (data.Length + pieces.Length) + 16;
        for (var reads = 0; ; reads++)
        {
            Check(reads <= bound, $"{reads} reads without reaching the end of input ({delivered.Count} of {expected.Length} bytes delivered)");
            ReadResult result;
            if (random.Next(2) == 0)
            {
                if (!reader.TryRead(out result))
                {
                    WriteMore();
                    continue;
                }
            }
            else
            {
                var pending = reader.ReadAsync();
                while (!pending.IsCompleted)
                {
                    WriteMore();
                }

                result = pending.GetAwaiter().GetResult();
            }

            var buffer = result.Buffer;
            var shown = buffer.ToArray();
            // Before the violation is found, the reader shows the client's bytes (a head as far as it is valid); after,
            // the input before the offending unit and the poison. Only what is consumed must be the expected bytes.
            Check(IsAt(data, delivered.Count, shown) || IsAt(expected, delivered.Count, shown),
                $"after {delivered.Count} bytes the reader yields {shown.Length} that are neither the input's nor the expected ones ({whole})");
            if (!result.IsCompleted && referenceVerdict == StrictVerdict.Continue)
            {
                Check(delivered.Count + shown.Length <= reference.SafeEnd,
                    $"shown up to {delivered.Count + shown.Length}, past the parser's SafeEnd {reference.SafeEnd} of {written} bytes written");
            }

            // Consumed: nothing, or the end of a line (all of it once the input has ended); examined: from there on.
            var consumed = 0L;
            if (result.IsCompleted)
            {
                consumed = shown.Length;
            }
            else if (random.Next(3) != 0 && Array.LastIndexOf(shown, (byte)'\n') is var lf and >= 0)
            {
                consumed = random.Next(2) == 0 ? lf + 1 : Array.IndexOf(shown, (byte)'\n') + 1;
            }

            stalls = consumed == 0 ? stalls + 1 : 0;
            var examined = stalls > 2 || random.Next(2) == 0 ? shown.Length : consumed + random.NextInt64(shown.Length - consumed + 1);
            Check(IsAt(expected, delivered.Count, shown.AsSpan(0, (int)consumed)),
                $"after {delivered.Count} bytes {consumed} were consumed that are not the expected ones ({whole})");
            delivered.AddRange(shown.AsSpan(0, (int)consumed));
            reader.AdvanceTo(buffer.GetPosition(consumed), buffer.GetPosition(examined));
            if (result.IsCompleted)
            {
                break;
            }
        }

        Check(delivered.Count == expected.Length, $"the reader delivered {delivered.Count} bytes, not the {expected.Length} expected ({whole})");
        reader.Complete();
    }

    private static bool IsAt(byte[] stream, int offset, ReadOnlySpan<byte> bytes) =>
        offset + bytes.Length <= stream.Length && stream.AsSpan(offset, bytes.Length).SequenceEqual(bytes);
}
