namespace ActorSsgi.Python;

/// <summary>
/// A Python application raised. The message carries the Python traceback, formatted as the Python console prints it,
/// so the one log line the server's supervisor writes for a failed request or session shows where in Python it failed.
/// </summary>
public sealed class PythonApplicationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, followed by the Python traceback.</param>
    public PythonApplicationException(string message)
        : base(message)
    {
    }
}
