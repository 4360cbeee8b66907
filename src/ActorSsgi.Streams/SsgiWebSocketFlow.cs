using System.Threading.Channels;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Util;

namespace ActorSsgi.Streams;

/// <summary>Serves an accepted SSGI WebSocket session with an Akka.Streams flow.</summary>
public static class SsgiWebSocketFlow
{
    /// <summary>
    /// Runs <paramref name="flow"/> for <paramref name="socket"/>: received messages go into the flow, the flow's
    /// output is sent to the client. Call it from the session's handler before <see cref="ISsgiWebSocket.Accept"/>
    /// (it registers <c>on_receive</c>; a message the client sends right after the handshake may be handled before
    /// the code after <c>await Accept()</c> runs). The flow must not emit before the session is accepted: a send
    /// while pending is <see cref="SsgiSendStatus.Dropped"/> and stops the flow.
    /// </summary>
    /// <remarks>
    /// <para>Inbound: messages enter a bounded channel of <paramref name="inboundBuffer"/> messages through the awaitable
    /// <c>on_receive</c>; when the queue is full the offer waits, and the session does not take its next message
    /// until it completes, so a slow flow backpressures the socket instead of growing memory. Each message is
    /// copied, because its bytes are valid only during the callback.</para>
    /// <para>Outbound: each element is sent with <see cref="ISsgiWebSocket.Send(ReadOnlyMemory{byte})"/> (or the text
    /// overload) and the next is pulled only after that send's task completed; a <see cref="SsgiSendStatus.Dropped"/>
    /// send (the session is no longer open) stops the flow.</para>
    /// <para>The flow completing closes the session with 1000, failing closes it with 1011; the client closing
    /// completes the flow's input.</para>
    /// </remarks>
    /// <typeparam name="TMat">The flow's materialized value.</typeparam>
    /// <param name="socket">The accepted session.</param>
    /// <param name="flow">The flow from received to sent messages.</param>
    /// <param name="materializer">The materializer that runs the stream.</param>
    /// <param name="inboundBuffer">Received messages held before backpressure; at least 1.</param>
    /// <returns>The flow's materialized value.</returns>
    public static TMat HandleWith<TMat>(this ISsgiWebSocket socket, Flow<SsgiMessage, SsgiMessage, TMat> flow, IMaterializer materializer, int inboundBuffer = 16)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(materializer);
        ArgumentOutOfRangeException.ThrowIfLessThan(inboundBuffer, 1);

        // A bounded channel between the session and the stream: the awaitable on_receive writes (waiting while it is
        // full), the source reads on demand only. Unlike a queue stage it needs no started stream to accept a write,
        // so a message that arrives while the stream is still being materialized is kept.
        var inbound = Channel.CreateBounded<SsgiMessage>(new BoundedChannelOptions(inboundBuffer)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var received = Source.UnfoldAsync<ChannelReader<SsgiMessage>, SsgiMessage>(inbound.Reader, static async reader =>
            await reader.WaitToReadAsync().ConfigureAwait(false) && reader.TryRead(out var message)
                ? Option<(ChannelReader<SsgiMessage>, SsgiMessage)>.Create((reader, message))
                : Option<(ChannelReader<SsgiMessage>, SsgiMessage)>.None);

        var (mat, done) = received
            .ViaMaterialized(flow, Keep.Right)
            .SelectAsync(1, message => Send(socket, message))
            .TakeWhile(static status => status != SsgiSendStatus.Dropped)
            .ToMaterialized(Sink.Ignore<SsgiSendStatus>(), Keep.Both)
            .Run(materializer);

        socket.OnReceive(async (_, message) =>
        {
            // Copied: the session reuses the message's memory after this callback.
            var copy = new SsgiMessage(message.Data.ToArray(), message.IsText);
            await inbound.Writer.WriteAsync(copy).ConfigureAwait(false);
        });
        socket.OnClose((_, _, _) => inbound.Writer.TryComplete());

        // Close calls from the stream's thread are marshalled to the session's actor; closing a closed session does nothing.
        done.ContinueWith(
            task => socket.Close(task.IsFaulted ? 1011 : 1000),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return mat;
    }

    private static Task<SsgiSendStatus> Send(ISsgiWebSocket socket, SsgiMessage message) =>
        (message.IsText ? socket.Send(message.Text) : socket.Send(message.Data)).AsTask();
}
