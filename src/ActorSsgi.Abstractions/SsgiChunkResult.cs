namespace ActorSsgi;

/// <summary>
/// The seed's <c>send_chunk</c> result <c>(bool, bool)</c>, as uWebSockets' <c>tryEnd</c>.
/// </summary>
/// <param name="Sent">The chunk was accepted by the transport; <c>false</c> when it was dropped because the
/// response was aborted or had already ended.</param>
/// <param name="Ended">The response is over: <c>total_size</c> bytes have been sent, or the connection was aborted.</param>
public readonly record struct SsgiChunkResult(bool Sent, bool Ended);
