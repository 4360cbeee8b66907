using System.Globalization;

namespace LoadClient;

/// <summary>
/// Reads the server's CPU time and memory from /proc. Sampling from inside the client lets a measurement
/// bracket exactly the timed phase (not connection set-up or warm-up), which the harness cannot see from outside.
/// </summary>
internal sealed class ServerProbe(int pid)
{
    public static ServerProbe? FromOptions(Options options) =>
        options.GetOptionalString("server-pid") is { } pid ? new ServerProbe(int.Parse(pid, CultureInfo.InvariantCulture)) : null;

    /// <summary>utime + stime (fields 14 and 15 of /proc/PID/stat) in clock ticks, all threads included.</summary>
    public long CpuTicks()
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Field 2 (comm) is parenthesised and may contain spaces; fields are counted after its closing ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state), so field N is fields[N - 3].
        return long.Parse(fields[14 - 3], CultureInfo.InvariantCulture) + long.Parse(fields[15 - 3], CultureInfo.InvariantCulture);
    }

    public long RssKiB() => StatusKiB("VmRSS:");

    public long PeakRssKiB() => StatusKiB("VmHWM:");

    /// <summary>Resets VmHWM to the current RSS (Linux "echo 5 > clear_refs"); best effort, needs root or same user.</summary>
    public bool TryResetPeak()
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private long StatusKiB(string key)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"{key} missing from /proc/{pid}/status");
    }
}
