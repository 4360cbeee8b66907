using System.Buffers.Binary;
using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;

namespace ActorSsgi.ClusterReference;

/// <summary>
/// Node 2's one subscriber to the latency topic, on the default dispatcher as ActorSsgi's topic relay is: stamps each
/// arrival and, at the end of a run, writes (sent, arrived) pairs to a file the runner reads, then answers the
/// publisher. A warm-up message (negative sequence) is answered at once, so the publisher knows the subscription
/// has reached its node.
/// </summary>
internal sealed class LatencySubscriber : ReceiveActor
{
    private readonly long[] _sent = new long[Publisher.MaxMessages];
    private readonly long[] _arrived = new long[Publisher.MaxMessages];
    private int _count;

    public LatencySubscriber(IActorRef mediator, string samplesDirectory)
    {
        mediator.Tell(new Subscribe(Publisher.Topic, Self));
        Receive<SubscribeAck>(_ => Console.WriteLine("subscribed"));
        Receive<byte[]>(message =>
        {
            var now = Stopwatch.GetTimestamp();
            var sequence = BinaryPrimitives.ReadInt32LittleEndian(message);
            if (sequence < 0)
            {
                Sender.Tell(Publisher.Ready);
                return;
            }

            if (_count < _sent.Length)
            {
                _sent[_count] = BinaryPrimitives.ReadInt64LittleEndian(message.AsSpan(4));
                _arrived[_count] = now;
                _count++;
            }
        });
        Receive<string>(end =>
        {
            // "end RATE": everything sent before it has arrived (one sender, one mediator, one path: FIFO).
            var path = Path.Combine(samplesDirectory, $"reference-{end.Split(' ')[1]}.bin");
            using (var writer = new BinaryWriter(File.Create(path)))
            {
                for (var i = 0; i < _count; i++)
                {
                    writer.Write(_sent[i]);
                    writer.Write(_arrived[i]);
                }
            }

            Sender.Tell($"samples {_count} {path}");
            _count = 0;
        });
    }
}
