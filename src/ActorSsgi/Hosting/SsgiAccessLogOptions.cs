namespace ActorSsgi.Hosting;

/// <summary>
/// The access log, bound from <c>ActorSsgi:AccessLog</c>: one structured entry per request and per WebSocket session
/// after it ends, in the logger category <c>ActorSsgi.AccessLog</c> at level Information.
/// </summary>
public sealed class SsgiAccessLogOptions
{
    /// <summary>
    /// Whether entries are written. Default false: when off, a request pays one boolean check and nothing else.
    /// </summary>
    public bool Enabled { get; set; }
}
