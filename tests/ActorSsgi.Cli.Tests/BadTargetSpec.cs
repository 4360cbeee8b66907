namespace ActorSsgi.Cli.Tests;

/// <summary>A target that cannot be served ends the command at once: one line on stderr, a non-zero exit code.</summary>
[Collection(CliCollection.Name)]
public sealed class BadTargetSpec
{
    [Theory]
    [InlineData("no_colon")]
    [InlineData(":app")]
    [InlineData("flask_app:")]
    [InlineData("some/path:app")]
    [InlineData("flask-app:app")]
    public async Task A_target_of_neither_form_must_be_a_usage_error_of_one_line(string target)
    {
        var (code, stderr, stdout) = await CliProcess.RunToEndAsync("--app-dir", CliProcess.SamplesDir, target, "--interface", "wsgi");

        Assert.Equal(2, code);
        var line = Assert.Single(stderr);
        Assert.Equal($"actorssgi: error: TARGET '{target}' is neither module:attribute (Python) nor path/App.dll:Namespace.Type (.NET).", line);
        Assert.DoesNotContain(stdout, l => l.Contains("serving", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_module_that_fails_to_import_must_end_with_one_line_naming_it()
    {
        var (code, stderr, _) = await CliProcess.RunToEndAsync("--app-dir", CliProcess.SamplesDir, "no_such_module_xyz:app", "--interface", "wsgi");

        Assert.Equal(1, code);
        var line = Assert.Single(stderr);
        Assert.StartsWith("actorssgi: error: Could not import module 'no_such_module_xyz': ModuleNotFoundError", line);
    }

    [Fact]
    public async Task A_missing_attribute_must_end_with_one_line_naming_it()
    {
        var (code, stderr, _) = await CliProcess.RunToEndAsync("--app-dir", CliProcess.SamplesDir, "flask_app:no_such_app", "--interface", "wsgi");

        Assert.Equal(1, code);
        Assert.Equal("actorssgi: error: Module 'flask_app' has no attribute 'no_such_app'.", Assert.Single(stderr));
    }

    [Fact]
    public async Task A_misspelt_option_must_be_a_usage_error_not_a_setting()
    {
        var (code, stderr, _) = await CliProcess.RunToEndAsync("--worker", "2", "flask_app:app");

        Assert.Equal(2, code);
        Assert.Equal("actorssgi: error: Unknown option '--worker' (see actorssgi --help).", Assert.Single(stderr));
    }

    [Fact]
    public async Task An_unknown_interface_must_be_a_usage_error_naming_the_known_ones()
    {
        var (code, stderr, _) = await CliProcess.RunToEndAsync("flask_app:app", "--interface", "cgi");

        Assert.Equal(2, code);
        Assert.Contains("wsgi", Assert.Single(stderr));
    }
}
