using System.Diagnostics;

namespace ActorSsgi.Python;

/// <summary>Finds <c>libpython</c>: the configured path, Debian's libpython3.11, or what the system python3 reports.</summary>
internal static class PythonLibraryLocator
{
    private const string DebianLibrary = "/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0";

    // /usr/bin/python3 rather than the first python3 on PATH: a pyenv build there has no Debian dist-packages.
    private static readonly string[] SystemPythons = ["/usr/bin/python3", "python3"];

    public static string Locate(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new PythonLoadException($"ActorSsgi:Python:Library '{configured}' does not exist.");
        }

        if (File.Exists(DebianLibrary))
        {
            return DebianLibrary;
        }

        foreach (var python in SystemPythons)
        {
            if (AskSysconfig(python) is { } found && File.Exists(found))
            {
                return found;
            }
        }

        throw new PythonLoadException(
            $"No libpython found: install Debian's libpython3.11 ({DebianLibrary}) or set ActorSsgi:Python:Library.");
    }

    private static string? AskSysconfig(string python)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(python, ["-c",
                "import sysconfig, os; print(os.path.join(sysconfig.get_config_var('LIBDIR'), sysconfig.get_config_var('INSTSONAME')))"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            return process.WaitForExit(10_000) && process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // that python is not installed
        }
    }
}
