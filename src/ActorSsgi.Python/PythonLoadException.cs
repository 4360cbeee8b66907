namespace ActorSsgi.Python;

/// <summary>A Python application could not be loaded: bad target, import error, missing attribute, no libpython.</summary>
/// <remarks>The message is one line, fit for a command's error output.</remarks>
public sealed class PythonLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The one-line reason.</param>
    /// <param name="innerException">The Python or loader error behind it, if any.</param>
    public PythonLoadException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
