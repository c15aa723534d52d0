namespace Moddock.Sumdb.Tlog;

/// <summary>tlog.TileReader: fetches tiles (unverified) and is told which ones verified so it may cache them.</summary>
internal interface ITileReader
{
    int Height { get; }

    ValueTask<IReadOnlyList<byte[]>> ReadTilesAsync(IReadOnlyList<Tile> tiles, CancellationToken ct);

    void SaveTiles(IReadOnlyList<Tile> tiles, IReadOnlyList<byte[]> data);
}
