using Microsoft.Extensions.Logging;

namespace ActorSsgi.TestKit.Http;

/// <summary>One entry the server logged while a kit ran (<see cref="SsgiHttpTestKit.Log"/>).</summary>
/// <param name="Level">The level.</param>
/// <param name="Category">The logger's category, for example <c>ActorSsgi.Http</c>.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">The exception logged with it, if any.</param>
public sealed record SsgiLogEntry(LogLevel Level, string Category, string Message, Exception? Exception);
