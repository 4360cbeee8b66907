using System.Buffers;
using Python.Runtime;

namespace ActorSsgi.Python;

/// <summary>
/// What the Python gateways share to write a response: status and headers (flattened by the Python side as
/// <c>name\0value\0...</c>, so they cross into .NET in one string conversion) and a body copied out of Python.
/// Called without the GIL (pythonnet releases it around calls into .NET); takes it only to copy bytes.
/// </summary>
internal static class ResponseWriting
{
    /// <summary>The whole response at once: nothing waits, status, headers and body go out in one write.</summary>
    public static void Respond(ISsgiHttpResponse res, int status, string headers, PyObject body)
    {
        res.SendStatus(status);
        SendHeaders(res, headers);
        byte[] bytes;
        int length;
        using (Py.GIL())
        {
            using var buffer = body.GetBuffer();
            length = checked((int)buffer.Length);
            if (length == 0)
            {
                res.Send();
                return;
            }

            // Send copies its argument before it returns, so a pooled array is safe.
            bytes = ArrayPool<byte>.Shared.Rent(length);
            buffer.Read(bytes, 0, length, IntPtr.Zero);
        }

        try
        {
            res.Send(bytes.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>Status and headers of a streamed response; returns the total size for SendChunk.</summary>
    public static long? Start(ISsgiHttpResponse res, int status, string headers, long contentLength)
    {
        res.SendStatus(status);
        SendHeaders(res, headers);
        return contentLength >= 0 ? contentLength : null;
    }

    /// <summary>Copies a Python bytes-like object out, taking the GIL.</summary>
    public static byte[] Copy(PyObject data)
    {
        using (Py.GIL())
        {
            return PythonRuntime.ToArray(data);
        }
    }

    private static void SendHeaders(ISsgiHttpResponse res, string flat)
    {
        if (flat.Length == 0)
        {
            return;
        }

        var parts = flat.Split('\0');
        if (parts.Length % 2 != 0)
        {
            throw new InvalidOperationException("A Python response header contains a NUL character.");
        }

        var headers = new List<KeyValuePair<string, string>>(parts.Length / 2);
        for (var i = 0; i < parts.Length; i += 2)
        {
            // The server sets Content-Length from the body, or sends it as the chunks' total size.
            if (!parts[i].Equals("content-length", StringComparison.OrdinalIgnoreCase))
            {
                headers.Add(new(parts[i], parts[i + 1]));
            }
        }

        res.SendHeaders(headers);
    }
}
