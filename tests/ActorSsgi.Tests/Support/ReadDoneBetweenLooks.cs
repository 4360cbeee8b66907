using System.IO.Pipelines;
using System.Threading.Tasks.Sources;

namespace ActorSsgi.Tests.Support;

/// <summary>
/// A request body reader whose reads, when their data is already there, say "pending" at the first look and
/// "done" at every later one: what a Kestrel read does when its data arrives, on Kestrel's own thread, just after
/// the server looked. On a real socket that window is nanoseconds wide; here every read opens it.
/// </summary>
internal sealed class ReadDoneBetweenLooks(PipeReader inner) : PipeReader
{
    private int _lateReads;

    /// <summary>How many reads were handed out as completing after the first look.</summary>
    public int LateReads => Volatile.Read(ref _lateReads);

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var read = inner.ReadAsync(cancellationToken);
        if (!read.IsCompletedSuccessfully)
        {
            return read;
        }

        Interlocked.Increment(ref _lateReads);
        return new(new CompletesAfterFirstLook(read.Result), 0);
    }

    public override bool TryRead(out ReadResult result) => inner.TryRead(out result);

    public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    private sealed class CompletesAfterFirstLook(ReadResult result) : IValueTaskSource<ReadResult>
    {
        private ManualResetValueTaskSourceCore<ReadResult> _core;
        private bool _looked;

        public ValueTaskSourceStatus GetStatus(short token)
        {
            var status = _core.GetStatus(token);
            if (!_looked)
            {
                // The first look sees a pending read; the data arrives right after it.
                _looked = true;
                _core.SetResult(result);
            }

            return status;
        }

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);

        public ReadResult GetResult(short token) => _core.GetResult(token);
    }
}
