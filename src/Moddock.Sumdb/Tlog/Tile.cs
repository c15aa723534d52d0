using System.Globalization;
using System.Text;

namespace Moddock.Sumdb.Tlog;

/// <summary>
/// A tile of the log (tlog.Tile): height H (1..30), level L (-1 = data tile), number N, width W (1..2^H).
/// Path: <c>tile/H/L/x001/x234/067[.p/W]</c>, the ".p/W" only for partial tiles.
/// </summary>
internal readonly record struct Tile(int H, int L, long N, int W)
{
    private const int PathBase = 1000;

    public bool IsFull => W == 1 << H;

    public Tile Full => this with { W = 1 << H };

    /// <summary>
    /// The size of the smallest tree holding this tile's last hash, ((N &lt;&lt; H) + W) &lt;&lt; (L × H) (a data tile
    /// counts as level 0); null when that overflows a long, so no tree holds it. Path syntax alone allows
    /// N up to 10^18 and L up to 63, where the shifts of tlog's arithmetic silently wrap.
    /// </summary>
    public long? RecordsNeeded
    {
        get
        {
            var shift = Math.Max(L, 0) * H;
            if (shift > 62 || N > (long.MaxValue - W) >> H)
            {
                return null;
            }

            var end = (N << H) + W;
            return end > long.MaxValue >> shift ? null : end << shift;
        }
    }

    public string Path
    {
        get
        {
            var n = N;
            var sb = new StringBuilder((n % PathBase).ToString("000", CultureInfo.InvariantCulture));
            while (n >= PathBase)
            {
                n /= PathBase;
                sb.Insert(0, "x" + (n % PathBase).ToString("000", CultureInfo.InvariantCulture) + "/");
            }

            var level = L == -1 ? "data" : L.ToString(CultureInfo.InvariantCulture);
            var p = IsFull ? "" : ".p/" + W.ToString(CultureInfo.InvariantCulture);
            return $"tile/{H}/{level}/{sb}{p}";
        }
    }

    /// <summary>tlog.ParseTilePath: accepts exactly the paths <see cref="Path"/> produces.</summary>
    public static bool TryParse(string path, out Tile tile)
    {
        tile = default;
        if (path.Length > 256)
        {
            return false;
        }

        var f = path.Split('/').ToList();
        if (f.Count < 4 || f[0] != "tile")
        {
            return false;
        }

        var isData = f[2] == "data";
        if (!TryInt(f[1], out var h) || !(isData || TryInt(f[2], out _)) || h < 1 || h > 30)
        {
            return false;
        }

        var l = isData ? -1 : int.Parse(f[2], CultureInfo.InvariantCulture);
        if (l > 63)
        {
            return false;
        }

        var w = 1 << h;
        if (f[^2].EndsWith(".p", StringComparison.Ordinal))
        {
            if (!TryInt(f[^1], out var ww) || ww <= 0 || ww >= w)
            {
                return false;
            }

            w = ww;
            f[^2] = f[^2][..^2];
            f.RemoveAt(f.Count - 1);
        }

        long n = 0;
        foreach (var s in f.Skip(3))
        {
            var digits = s.StartsWith('x') ? s[1..] : s;
            if (!TryInt(digits, out var nn) || nn >= PathBase || n > long.MaxValue / PathBase / 10)
            {
                return false;
            }

            n = n * PathBase + nn;
        }

        var t = new Tile(h, l, n, w);
        if (t.Path != path)
        {
            return false;
        }

        tile = t;
        return true;
    }

    private static bool TryInt(string s, out int v)
    {
        v = 0;
        return s.Length is > 0 and <= 9 && s.All(char.IsAsciiDigit) && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out v);
    }

    /// <summary>The tile holding stored hash <paramref name="index"/> at height h, and the byte range of that hash's subtree in it.</summary>
    public static (Tile Tile, int Start, int End) ForIndex(int h, long index)
    {
        var (level, n) = TreeMath.SplitStoredHashIndex(index);
        var l = level / h;
        level -= l * h;
        var tn = n << level >> h;
        n -= tn << h >> level;
        var w = (int)((n + 1) << level);
        return (new Tile(h, l, tn, w), (int)(n << level) * TlogHash.Size, (int)((n + 1) << level) * TlogHash.Size);
    }

    /// <summary>tlog.HashFromTile: the stored hash at index, computed from this tile's data.</summary>
    public bool TryHashFromTile(ReadOnlySpan<byte> data, long index, out TlogHash hash, out string? error)
    {
        hash = default;
        if (H < 1 || H > 30 || L < 0 || L >= 64 || W < 1 || W > 1 << H)
        {
            error = "invalid tile " + Path;
            return false;
        }

        if (data.Length < W * TlogHash.Size)
        {
            error = $"data len {data.Length} too short for tile {Path}";
            return false;
        }

        var (t1, start, end) = ForIndex(H, index);
        if (L != t1.L || N != t1.N || W < t1.W)
        {
            error = $"index {index} is in {t1.Path} not {Path}";
            return false;
        }

        hash = SubtreeHash(data[start..end]);
        error = null;
        return true;
    }

    public static TlogHash SubtreeHash(ReadOnlySpan<byte> data)
    {
        if (data.Length == TlogHash.Size)
        {
            return new TlogHash(data);
        }

        var half = data.Length / 2;
        return TlogHash.Node(SubtreeHash(data[..half]), SubtreeHash(data[half..]));
    }

    /// <summary>tileParent: the tile k levels up covering this one, cut to the tree size n; null when beyond the tree.</summary>
    public Tile? Parent(int k, long n)
    {
        var t = this with { L = L + k, N = N >> (k * H), W = 1 << H };
        var max = n >> (t.L * t.H);
        if ((t.N << t.H) + t.W >= max)
        {
            if (t.N << t.H >= max)
            {
                return null;
            }

            t = t with { W = (int)(max - (t.N << t.H)) };
        }

        return t;
    }

    /// <summary>tlog.NewTiles: the tiles that a tree growing from oldSize to newSize creates.</summary>
    public static List<Tile> NewTiles(int h, long oldSize, long newSize)
    {
        var tiles = new List<Tile>();
        for (var level = 0; newSize >> (h * level) > 0; level++)
        {
            var oldN = oldSize >> (h * level);
            var newN = newSize >> (h * level);
            for (var n = oldN >> h; n < newN >> h; n++)
            {
                tiles.Add(new Tile(h, level, n, 1 << h));
            }

            var last = newN >> h;
            var maxW = (int)(newN - (last << h));
            var minW = oldN > last << h ? (int)(oldN - (last << h)) : 1;
            for (var w = minW; w <= maxW; w++)
            {
                tiles.Add(new Tile(h, level, last, w));
            }
        }

        return tiles;
    }

    public override string ToString() => Path;
}
