using ActorSsgi.TestKit.Http;
using Akka.TestKit;

namespace ActorSsgi.TestKit;

/// <summary>Starts SSGI kits from an Akka.TestKit test, on its actor system and with its time factor.</summary>
public static class SsgiTestKitExtensions
{
    /// <summary>An <see cref="SsgiHttpTestKit"/> for <paramref name="framework"/> in the test's actor system.</summary>
    /// <param name="testKit">The test (<c>this</c> in a TestKit test class).</param>
    /// <param name="framework">The application under test.</param>
    /// <param name="options">Settings; their <see cref="SsgiHttpTestKitOptions.Timeout"/> is dilated by the test's time factor.</param>
    /// <returns>The kit.</returns>
    /// <example>
    /// <code>
    /// public sealed class MyRoutesSpec : Akka.TestKit.Xunit2.TestKit
    /// {
    ///     [Fact]
    ///     public async Task Hello_must_greet()
    ///     {
    ///         var kit = await this.CreateSsgiHttpTestKitAsync(new MyFramework());
    ///         Assert.Equal("hello", (await kit.GetAsync("/hello")).BodyText);
    ///     }
    /// }
    /// </code>
    /// </example>
    public static Task<SsgiHttpTestKit> CreateSsgiHttpTestKitAsync(this TestKitBase testKit, ISsgiFramework framework, SsgiHttpTestKitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(testKit);
        options ??= new SsgiHttpTestKitOptions();
        options.Timeout = testKit.Dilated(options.Timeout);
        return SsgiHttpTestKit.CreateAsync(testKit.Sys, framework, options);
    }

    /// <summary>An <see cref="SsgiHttpTestKit"/> serving HTTP with one bare handler, in the test's actor system.</summary>
    /// <param name="testKit">The test.</param>
    /// <param name="handler">The SSGI entry under test.</param>
    /// <param name="options">Settings; their timeout is dilated by the test's time factor.</param>
    /// <returns>The kit.</returns>
    public static Task<SsgiHttpTestKit> CreateSsgiHttpTestKitAsync(this TestKitBase testKit, SsgiHandler<ISsgiHttpResponse> handler, SsgiHttpTestKitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return testKit.CreateSsgiHttpTestKitAsync(new HttpHandlerFramework(handler), options);
    }
}
