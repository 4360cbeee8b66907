using System.Diagnostics;
using System.Text.Json;

namespace ActorSsgi.Python.Tests;

/// <summary>
/// Debian's python3-websockets (10.x) as a client: <c>/usr/bin/python3 -c</c> runs one scenario against a base
/// <c>ws://</c> address and prints its findings as one JSON object.
/// </summary>
public static class PythonWebSocketClient
{
    private const string Script = """
import asyncio, json, sys
import websockets

async def main(scenario, base, arg):
    out = {}
    if scenario == "echo":
        async with websockets.connect(base + "/ws") as ws:
            await ws.send("héllo")
            out["text"] = await ws.recv()
            await ws.send(bytes(range(256)) * 300)
            data = await ws.recv()
            out["bytes_ok"] = isinstance(data, bytes) and data == bytes(range(256)) * 300
            for i in range(1000):
                await ws.send(f"m{i}")
            got = [await ws.recv() for _ in range(1000)]
            out["in_order"] = got == [f"m{i}" for i in range(1000)]
    elif scenario == "subprotocol":
        async with websockets.connect(base + "/ws", subprotocols=["chat", "echo.v2"]) as ws:
            out["subprotocol"] = ws.subprotocol
    elif scenario == "app_close":
        async with websockets.connect(base + "/ws") as ws:
            await ws.send("bye")
            try:
                await ws.recv()
            except websockets.exceptions.ConnectionClosed:
                pass
            out["code"], out["reason"] = ws.close_code, ws.close_reason
    elif scenario == "client_close":
        async with websockets.connect(base + "/ws") as ws:
            await ws.send("ping")
            out["echo"] = await ws.recv()
            await ws.close(int(arg), "client leaving")
            out["code"] = ws.close_code
    elif scenario == "reject":
        try:
            async with websockets.connect(base + "/ws/reject"):
                out["status"] = 101
        except websockets.exceptions.InvalidStatusCode as e:
            out["status"] = e.status_code
    elif scenario == "fail":
        async with websockets.connect(base + "/ws/fail") as ws:
            await ws.send("boom")
            try:
                await ws.recv()
            except websockets.exceptions.ConnectionClosed:
                pass
            out["code"] = ws.close_code
        async with websockets.connect(base + "/ws") as ws:
            await ws.send("after")
            out["next"] = await ws.recv()
    print(json.dumps(out))

asyncio.run(asyncio.wait_for(main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None), 20))
""";

    /// <summary>Runs <paramref name="scenario"/> against <paramref name="baseUri"/> (<c>ws://host:port</c>) within 30 s.</summary>
    public static async Task<JsonElement> RunAsync(string scenario, string baseUri, string? argument = null)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-c", Script, scenario, baseUri, argument ?? "" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The python3-websockets client ({scenario}) did not finish within 30 s.");
        }

        Assert.True(process.ExitCode == 0, $"python3-websockets client ({scenario}) failed: {await stderr}");
        return JsonDocument.Parse(await stdout).RootElement.Clone();
    }
}
