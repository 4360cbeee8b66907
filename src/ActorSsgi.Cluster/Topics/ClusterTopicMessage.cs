namespace ActorSsgi.Cluster.Topics;

/// <summary>
/// What crosses the wire for one topic publish: the topic travels with the bytes so that one relay actor per node,
/// subscribed to every topic its sessions joined, can fan the message out locally.
/// </summary>
internal sealed record ClusterTopicMessage(string Topic, byte[] Data, bool IsText);
