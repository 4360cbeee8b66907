using System.Globalization;

namespace LoadClient;

/// <summary>Machine-readable result lines ("key=value"), invariant culture so run.sh can parse them.</summary>
internal static class Report
{
    public static void Value(string key, long value) =>
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key}={value}"));

    public static void Value(string key, double value) =>
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key}={value:0.###}"));

    public static void Value(string key, string value) => Console.Out.WriteLine($"{key}={value}");
}
