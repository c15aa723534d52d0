using Moddock.Testing;

namespace Moddock.Modules.Tests.Zip;

/// <summary>One ziporacle process shared by the classes of the "ziporacle" collection.</summary>
public sealed class ZipOracleFixture : IDisposable
{
    private readonly Lazy<ZipOracleProcess> _oracle = new(() => new ZipOracleProcess());

    internal ZipOracleProcess Oracle => _oracle.Value;

    public void Dispose()
    {
        if (_oracle.IsValueCreated)
        {
            _oracle.Value.Dispose();
        }
    }
}

[CollectionDefinition("ziporacle")]
public sealed class ZipOracleCollection : ICollectionFixture<ZipOracleFixture>
{
}
