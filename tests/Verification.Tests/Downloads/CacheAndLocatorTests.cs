using Verify.Simulation.Data.Mnist;
using Verify.Verification.Output;
using Verify.Verification.Downloads;
using Verify.Verification.Settings;

namespace Verify.Verification.Tests.Downloads;

public class CacheAndLocatorTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] vars) =>
        key => vars.FirstOrDefault(v => v.Key == key).Value;

    [Test]
    public void Cache_root_precedence()
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.That(CacheLocation.Root(null, Env()), Is.EqualTo(Path.Combine(home, ".cache", "verify")));
        Assert.That(CacheLocation.Root(null, Env(("XDG_CACHE_HOME", "/x"), ("VERIFY_CACHE", ""))), Is.EqualTo(Path.GetFullPath("/x/verify")));
        Assert.That(CacheLocation.Root(null, Env(("XDG_CACHE_HOME", "/x"), ("VERIFY_CACHE", "/v"))), Is.EqualTo(Path.GetFullPath("/v")));
        Assert.That(CacheLocation.Root("/o", Env(("VERIFY_CACHE", "/v"))), Is.EqualTo(Path.GetFullPath("/o")));
        Assert.That(CacheLocation.Mnist("/o", Env()), Is.EqualTo(Path.Combine(Path.GetFullPath("/o"), "mnist")));
    }

    [Test]
    public void Locator_prefers_the_explicit_folder_then_the_cache()
    {
        using var t = new TempFolder();
        string mine = t.Sub("mine"), cache = t.Sub("cache");
        foreach (string dir in new[] { mine, Path.Combine(cache, "mnist") })
        {
            Directory.CreateDirectory(dir);
            IdxWriter.WriteImages(Path.Combine(dir, "t10k-images-idx3-ubyte"), 28, 28, new byte[784]);
            IdxWriter.WriteLabels(Path.Combine(dir, "t10k-labels-idx1-ubyte"), [1]);
        }
        Assert.That(MnistLocator.Resolve(mine, cache), Is.EqualTo(mine));
        Assert.That(MnistLocator.Resolve(null, cache), Is.EqualTo(Path.Combine(cache, "mnist")));
    }

    [Test]
    public void Locator_errors_say_what_to_do()
    {
        using var t = new TempFolder();
        var none = Assert.Throws<InvalidInputException>(() => MnistLocator.Resolve(null, t.Path))!;
        Assert.That(none.Message, Does.Contain("run `verify data mnist` or pass --mnist-dir").And.Contain(Path.Combine(t.Path, "mnist")));
        var absent = Assert.Throws<InvalidInputException>(() => MnistLocator.Resolve(t.Sub("absent"), t.Path))!;
        Assert.That(absent.Message, Does.StartWith("--mnist-dir").And.Contain("absent").And.Contain("no such folder"));
    }
}
