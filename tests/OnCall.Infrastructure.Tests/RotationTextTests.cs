using Microsoft.Extensions.DependencyInjection;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests;

/// <summary>Names are stored as plain UTF-8 where JSON allows; whatever needs escaping must still round-trip.</summary>
[Collection(StorageTests.Collection)]
public sealed class RotationTextTests(AzuriteFixture azurite) : IDisposable
{
    private readonly ServiceProvider _services = StorageServices.Create(azurite);

    private IRotationRepository Repository => _services.GetRequiredService<IRotationRepository>();

    [Theory]
    [InlineData("Ada \"the\" Admin")]
    [InlineData(@"back\slash")]
    [InlineData("emoji 😀 and 李 and é")]
    [InlineData("</script>&'")]
    public async Task FindAsync_NameNeedingCare_RoundTrips(string name)
    {
        var rotation = Samples.Rotation();
        var layer = rotation.Settings.Layers[0] with { Members = [new Member(name, name + "@example.com")] };
        rotation = Rotation.Create(rotation.Settings with { Name = name, Layers = [layer, .. rotation.Settings.Layers.Skip(1)] }, "hash", Samples.Now);

        await Repository.SaveAsync(rotation, null);

        LargeRotations.AssertSame(rotation, (await Repository.FindAsync("platform"))!.Rotation);
    }

    public void Dispose() => _services.Dispose();
}
