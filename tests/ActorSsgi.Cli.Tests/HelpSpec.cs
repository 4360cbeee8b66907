namespace ActorSsgi.Cli.Tests;

/// <summary><c>--help</c> and <c>--version</c> answer without loading anything.</summary>
[Collection(CliCollection.Name)]
public sealed class HelpSpec
{
    [Fact]
    public async Task Help_must_exit_0_and_list_every_interface_and_option()
    {
        var (code, stderr, stdout) = await CliProcess.RunToEndAsync("--help");

        Assert.Equal(0, code);
        Assert.Empty(stderr);
        var help = string.Join("\n", stdout);
        Assert.Contains("--interface <auto|ssgi|wsgi|asgi|rsgi>", help);
        foreach (var option in new[] { "--urls", "--app-dir", "--workers", "--log-level", "--version", "--ActorSsgi:Key=value" })
        {
            Assert.Contains(option, help);
        }
    }

    [Fact]
    public async Task Version_must_exit_0_with_one_line()
    {
        var (code, _, stdout) = await CliProcess.RunToEndAsync("--version");

        Assert.Equal(0, code);
        Assert.Matches(@"^\d+\.\d+\.\d+", Assert.Single(stdout));
    }
}
