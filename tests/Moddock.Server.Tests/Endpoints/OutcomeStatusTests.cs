using Moddock.Proxy;
using Moddock.Server.Endpoints;

namespace Moddock.Server.Tests.Endpoints;

public sealed class OutcomeStatusTests
{
    [Theory]
    [InlineData(ResolveOutcome.Found, 200)]
    [InlineData(ResolveOutcome.NotFound, 404)]
    [InlineData(ResolveOutcome.Gone, 410)]
    [InlineData(ResolveOutcome.BadRequest, 400)]
    [InlineData(ResolveOutcome.UpstreamFailed, 502)]
    [InlineData(ResolveOutcome.Refused, 502)]
    [InlineData(ResolveOutcome.Unauthorized, 502)]
    [InlineData(ResolveOutcome.Forbidden, 502)]
    [InlineData(ResolveOutcome.StorageFailed, 507)]
    public void For_EachOutcome_MapsToItsStatus(ResolveOutcome outcome, int status) =>
        Assert.Equal(status, OutcomeStatus.For(outcome));

    [Fact]
    public void For_EveryOutcome_IsMappedWithoutFallingToInternalError()
    {
        Assert.All(Enum.GetValues<ResolveOutcome>(), o => Assert.NotEqual(500, OutcomeStatus.For(o)));
    }
}
