namespace ActorSsgi.Python.Tests;

/// <summary><see cref="PythonFramework.Load"/>'s one-line reasons, the entry a command calls.</summary>
[Collection(PythonCollection.Name)]
public sealed class PythonFrameworkLoadSpec
{
    private static readonly PythonOptions Options = new() { AppDir = PythonServer.SamplesDir };

    [Theory]
    [InlineData("no_colon", "is not of the form module:attribute")]
    [InlineData(":app", "is not of the form module:attribute")]
    [InlineData("flask_app:", "is not of the form module:attribute")]
    [InlineData("no_such_module_xyz:app", "Could not import module 'no_such_module_xyz': ModuleNotFoundError")]
    [InlineData("flask_app:missing", "Module 'flask_app' has no attribute 'missing'")]
    [InlineData("raw_wsgi:closed", "is not callable")]
    public void A_bad_target_must_fail_with_a_one_line_reason(string target, string reason)
    {
        var error = Assert.Throws<PythonLoadException>(() => PythonFramework.Load(target, PythonInterfaces.Wsgi, Options));
        Assert.Contains(reason, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void An_unknown_interface_must_fail_naming_the_known_ones()
    {
        var error = Assert.Throws<PythonLoadException>(() => PythonFramework.Load("flask_app:app", "cgi", Options));
        Assert.Contains("wsgi", error.Message);
    }

    [Fact]
    public void A_good_target_must_load_and_bind_http_only_for_wsgi()
    {
        var framework = PythonFramework.Load("flask_app:app", PythonInterfaces.Wsgi, Options);
        var supported = framework.GetSupported(new Dictionary<string, string> { ["ssgi"] = "1.0", ["wsgi"] = "1.0.1" });
        Assert.Equal("wsgi", supported.Http!.InterfaceName);
        Assert.Null(supported.WebSockets);
    }

    [Fact]
    public void An_asgi_app_must_bind_both_http_and_websockets_to_asgi()
    {
        var framework = PythonFramework.Load("starlette_app:app", PythonInterfaces.Asgi, Options);
        var supported = framework.GetSupported(new Dictionary<string, string> { ["ssgi"] = "1.0", ["asgi"] = "3.0" });
        Assert.Equal("asgi", supported.Http!.InterfaceName);
        Assert.Same(supported.Http, supported.WebSockets);
    }
}
