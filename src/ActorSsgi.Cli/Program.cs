using ActorSsgi.Cli;
using ActorSsgi.Python;

// actorssgi [options] TARGET: see docs/cli.md. Every failure the user can fix ends here as one line and an exit code.
try
{
    var settings = new ServeCommand().Read(args);
    if (settings is null)
    {
        return ExitCodes.Ok;
    }

    var isWorker = Environment.GetEnvironmentVariable(SingleServer.WorkerVariable) is not null;
    var exitCode = settings.Workers > 1 && !isWorker
        ? await Supervisor.RunAsync(settings, args)
        : await SingleServer.RunAsync(settings);

    // The server has stopped: skip pythonnet's slow interpreter shutdown (see PythonExit).
    PythonExit.Now(exitCode);
    return exitCode;
}
catch (CliException error)
{
    await Console.Error.WriteLineAsync("actorssgi: error: " + error.Message.ReplaceLineEndings(" "));
    return error.ExitCode;
}
catch (PythonLoadException error)
{
    await Console.Error.WriteLineAsync("actorssgi: error: " + error.Message.ReplaceLineEndings(" "));
    return ExitCodes.LoadFailure;
}
catch (Exception error) when (error is not OutOfMemoryException)
{
    // Anything else is a bug or an environment problem; still one line, so that a supervisor's log stays readable.
    await Console.Error.WriteLineAsync($"actorssgi: error: {error.GetType().Name}: {error.Message.ReplaceLineEndings(" ")}");
    return ExitCodes.LoadFailure;
}
