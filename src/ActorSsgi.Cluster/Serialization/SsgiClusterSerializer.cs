using System.Buffers.Binary;
using System.Text;
using ActorSsgi.Cluster.Sessions;
using ActorSsgi.Cluster.Topics;
using ActorSsgi.WebSockets;
using Akka.Actor;
using Akka.Serialization;

namespace ActorSsgi.Cluster.Serialization;

/// <summary>
/// The wire format of ActorSsgi's own cluster messages: a topic publish (<see cref="ClusterTopicMessage"/>), a keyed
/// send to another node's sessions (<see cref="DeliverToLocalKey"/>) and its answer (<see cref="LocalDelivered"/>),
/// and a <see cref="TopicDelivery"/> should one be sent to a remote session. A flag byte, a length-prefixed
/// topic or key, the payload: no JSON, and the payload is copied once.
/// </summary>
internal sealed class SsgiClusterSerializer : SerializerWithStringManifest
{
    /// <summary>The serializer id in HOCON; unique among the system's serializers (Akka reserves 0-100).</summary>
    public const int Id = 4711;

    private const string TopicManifest = "T";
    private const string DeliveryManifest = "D";
    private const string KeyedManifest = "K";
    private const string AnswerManifest = "A";

    public SsgiClusterSerializer(ExtendedActorSystem system)
        : base(system)
    {
    }

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        ClusterTopicMessage => TopicManifest,
        TopicDelivery => DeliveryManifest,
        DeliverToLocalKey => KeyedManifest,
        LocalDelivered => AnswerManifest,
        _ => throw new ArgumentException($"{o.GetType()} is not an ActorSsgi cluster message.", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        switch (obj)
        {
            case ClusterTopicMessage message:
                return Named(message.Topic, message.Data, message.IsText);
            case DeliverToLocalKey deliver:
                return Named(deliver.Key, deliver.Data, deliver.IsText);
            case LocalDelivered answer:
            {
                var bytes = new byte[5];
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1), answer.Sessions);
                return bytes;
            }

            case TopicDelivery delivery:
            {
                var bytes = new byte[1 + delivery.Data.Length];
                bytes[0] = delivery.IsText ? (byte)1 : (byte)0;
                delivery.Data.CopyTo(bytes.AsSpan(1));
                return bytes;
            }

            default:
                throw new ArgumentException($"{obj.GetType()} is not an ActorSsgi cluster message.", nameof(obj));
        }
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var isText = bytes[0] == 1;
        switch (manifest)
        {
            case TopicManifest:
            {
                var (topic, data) = ReadNamed(bytes);
                return new ClusterTopicMessage(topic, data, isText);
            }

            case KeyedManifest:
            {
                var (key, data) = ReadNamed(bytes);
                return new DeliverToLocalKey(key, data, isText);
            }

            case AnswerManifest:
                return new LocalDelivered(BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(1)));
            case DeliveryManifest:
                return new TopicDelivery(bytes.AsSpan(1).ToArray(), isText);
            default:
                throw new System.Runtime.Serialization.SerializationException($"Unknown ActorSsgi cluster manifest '{manifest}'.");
        }
    }

    /// <summary>[text flag][name length, int32 LE][name, UTF-8][payload].</summary>
    private static byte[] Named(string name, byte[] data, bool isText)
    {
        var nameLength = Encoding.UTF8.GetByteCount(name);
        var bytes = new byte[1 + 4 + nameLength + data.Length];
        bytes[0] = isText ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1), nameLength);
        Encoding.UTF8.GetBytes(name, bytes.AsSpan(5, nameLength));
        data.CopyTo(bytes.AsSpan(5 + nameLength));
        return bytes;
    }

    private static (string Name, byte[] Data) ReadNamed(byte[] bytes)
    {
        var nameLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(1));
        return (Encoding.UTF8.GetString(bytes, 5, nameLength), bytes.AsSpan(5 + nameLength).ToArray());
    }
}
