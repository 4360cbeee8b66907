using System.Text;

namespace ActorSsgi;

/// <summary>
/// One WebSocket message as the seed's <c>on_receive</c> passes it: text or binary. The bytes are valid only during
/// the callback that received them; copy them (or read <see cref="Text"/>) to keep them.
/// </summary>
public readonly struct SsgiMessage
{
    /// <summary>Creates a message.</summary>
    /// <param name="data">The payload; UTF-8 when <paramref name="isText"/>.</param>
    /// <param name="isText"><c>true</c> for a text message, <c>false</c> for binary.</param>
    public SsgiMessage(ReadOnlyMemory<byte> data, bool isText)
    {
        Data = data;
        IsText = isText;
    }

    /// <summary>The payload bytes (UTF-8 for text messages).</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary><c>true</c> for a text message, <c>false</c> for binary.</summary>
    public bool IsText { get; }

    /// <summary>The payload decoded as UTF-8 (allocates a string on each call).</summary>
    public string Text => Encoding.UTF8.GetString(Data.Span);

    /// <summary>A text message from a string.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The message.</returns>
    public static SsgiMessage FromText(string text) => new(Encoding.UTF8.GetBytes(text), isText: true);

    /// <summary>A binary message.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The message.</returns>
    public static SsgiMessage FromBinary(ReadOnlyMemory<byte> data) => new(data, isText: false);
}
