using System.Text.RegularExpressions;

namespace ActorSsgi.Cli.Tests;

/// <summary><c>actorssgi path/App.dll:Namespace.Type</c>: a .NET <see cref="ISsgiFramework"/> loaded by path.</summary>
[Collection(CliCollection.Name)]
public sealed class DotnetTargetSpec
{
    private static readonly string TestAssembly = typeof(PidFramework).Assembly.Location;

    [Fact]
    public async Task A_framework_type_in_a_dll_must_be_created_with_the_hosts_services_and_served_through_ssgi()
    {
        var target = $"{TestAssembly}:{typeof(PidFramework).FullName}";
        using var cli = CliProcess.Start(target, "--urls", "http://127.0.0.1:0", "--log-level", "warning");
        var serving = await cli.WaitForLineAsync(PythonTargetSpec.Serving(target, "ssgi"));
        using var client = PythonTargetSpec.Client(serving);

        Assert.Equal($"ssgi pid={cli.Id} services=True path=/hello", await client.GetStringAsync("/hello"));
    }

    [Fact]
    public async Task A_missing_dll_must_end_with_one_line_naming_it()
    {
        var missing = Path.Combine(AppContext.BaseDirectory, "NoSuch.dll");
        var (code, stderr, _) = await CliProcess.RunToEndAsync($"{missing}:No.Type");

        Assert.Equal(1, code);
        Assert.Equal($"actorssgi: error: The assembly '{missing}' does not exist.", Assert.Single(stderr));
    }

    [Fact]
    public async Task A_missing_type_must_end_with_one_line_naming_it()
    {
        var (code, stderr, _) = await CliProcess.RunToEndAsync($"{TestAssembly}:ActorSsgi.Cli.Tests.NoSuchFramework");

        Assert.Equal(1, code);
        Assert.Equal("actorssgi: error: Assembly 'ActorSsgi.Cli.Tests' has no type 'ActorSsgi.Cli.Tests.NoSuchFramework'.", Assert.Single(stderr));
    }

    [Fact]
    public async Task A_type_that_is_no_ISsgiFramework_must_be_refused_in_one_line()
    {
        var (code, stderr, _) = await CliProcess.RunToEndAsync($"{TestAssembly}:{typeof(NotAFramework).FullName}");

        Assert.Equal(1, code);
        Assert.Matches(new Regex("^actorssgi: error: 'ActorSsgi.Cli.Tests.NotAFramework' does not implement ActorSsgi.ISsgiFramework.$"), Assert.Single(stderr));
    }

    [Fact]
    public async Task A_Python_interface_for_a_dll_must_be_a_usage_error()
    {
        var (code, stderr, _) = await CliProcess.RunToEndAsync($"{TestAssembly}:{typeof(PidFramework).FullName}", "--interface", "wsgi");

        Assert.Equal(2, code);
        Assert.Contains("served through ssgi", Assert.Single(stderr));
    }
}
