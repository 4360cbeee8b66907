using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ActorSsgi.Python.Tests;

/// <summary>
/// The same Starlette app under Debian's uvicorn 0.17 and under ActorSsgi must look the same to python3-websockets.
/// (Not compared: an app raising after accept, which uvicorn 0.17 ends by dropping the connection, 1006, where
/// the ASGI spec and ActorSsgi close with 1011.)
/// </summary>
[Collection(PythonCollection.Name)]
public sealed class UvicornWebSocketConformanceSpec(StarletteServer starlette)
{
    [Fact]
    public async Task Every_WebSocket_scenario_must_give_the_client_what_uvicorn_gives_it()
    {
        var port = FreePort();
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = PythonServer.SamplesDir,
        };
        foreach (var arg in new[] { "-m", "uvicorn", "--host", "127.0.0.1", "--port", port.ToString(), "--app-dir", PythonServer.SamplesDir, "starlette_app:app" })
        {
            start.ArgumentList.Add(arg);
        }

        using var uvicorn = Process.Start(start)!;
        try
        {
            var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            uvicorn.ErrorDataReceived += (_, line) =>
            {
                if (line.Data?.Contains("Uvicorn running on", StringComparison.Ordinal) == true)
                {
                    running.TrySetResult();
                }
            };
            uvicorn.BeginErrorReadLine();
            uvicorn.BeginOutputReadLine();
            await running.Task.WaitAsync(TimeSpan.FromSeconds(20));

            var ours = $"ws://{starlette.Server.BaseAddress.Authority}";
            var theirs = $"ws://127.0.0.1:{port}";
            foreach (var (scenario, argument) in new[] { ("echo", ""), ("subprotocol", ""), ("app_close", ""), ("client_close", "4321"), ("reject", "") })
            {
                var expected = (await PythonWebSocketClient.RunAsync(scenario, theirs, argument)).GetRawText();
                var actual = (await PythonWebSocketClient.RunAsync(scenario, ours, argument)).GetRawText();
                Assert.True(expected == actual, $"{scenario}: uvicorn gave {expected}, ActorSsgi gave {actual}");
            }
        }
        finally
        {
            uvicorn.Kill(entireProcessTree: true);
            await uvicorn.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
