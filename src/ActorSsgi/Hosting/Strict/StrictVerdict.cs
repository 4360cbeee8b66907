namespace ActorSsgi.Hosting.Strict;

/// <summary>What the filter makes of the bytes fed so far.</summary>
internal enum StrictVerdict : byte
{
    /// <summary>Valid so far; feed more.</summary>
    Continue,

    /// <summary>The input breaks RFC 9110/9112; <see cref="StrictHttp1Parser.Reason"/> says how.</summary>
    Violation,

    /// <summary>The bytes are no longer inspected (an upgrade, CONNECT, or a version Kestrel judges itself).</summary>
    PassThrough,
}
