using System.Numerics;

namespace Moddock.Sumdb.Tlog;

/// <summary>
/// RFC 6962 Merkle tree arithmetic in the stored-hash numbering of golang.org/x/mod/sumdb/tlog:
/// after record n is appended, the hashes of every completed subtree ending at n are stored, so
/// the hash of level L, number K has a fixed index. Go's rule: the empty tree hashes to 32 zero bytes.
/// </summary>
internal static class TreeMath
{
    public static long StoredHashIndex(int level, long n)
    {
        // Level L's n-th hash is written right after level L-1's 2n+1-th hash.
        for (var l = level; l > 0; l--)
        {
            n = 2 * n + 1;
        }

        long i = 0;
        for (; n > 0; n >>= 1)
        {
            i += n;
        }

        return i + level;
    }

    public static (int Level, long N) SplitStoredHashIndex(long index)
    {
        var n = index / 2;
        var indexN = StoredHashIndex(0, n);
        while (true)
        {
            var x = indexN + 1 + BitOperations.TrailingZeroCount((ulong)(n + 1));
            if (x > index)
            {
                break;
            }

            n++;
            indexN = x;
        }

        var level = (int)(index - indexN);
        return (level, n >> level);
    }

    public static long StoredHashCount(long n)
    {
        if (n == 0)
        {
            return 0;
        }

        var num = StoredHashIndex(0, n - 1) + 1;
        for (var i = (ulong)(n - 1); (i & 1) != 0; i >>= 1)
        {
            num++;
        }

        return num;
    }

    /// <summary>The hashes to append to storage when record n (with leaf hash h) is added (tlog.StoredHashesForRecordHash).</summary>
    public static async ValueTask<List<TlogHash>> StoredHashesForRecordHashAsync(long n, TlogHash h, IHashReader r, CancellationToken ct)
    {
        var hashes = new List<TlogHash> { h };
        var m = BitOperations.TrailingZeroCount((ulong)(n + 1));
        var indexes = new long[m];
        for (var i = 0; i < m; i++)
        {
            indexes[m - 1 - i] = StoredHashIndex(i, (n >> i) - 1);
        }

        var old = await r.ReadHashesAsync(indexes, ct).ConfigureAwait(false);
        Check(old.Count == m);
        for (var i = 0; i < m; i++)
        {
            h = TlogHash.Node(old[m - 1 - i], h);
            hashes.Add(h);
        }

        return hashes;
    }

    public static async ValueTask<TlogHash> TreeHashAsync(long n, IHashReader r, CancellationToken ct)
    {
        if (n == 0)
        {
            return new TlogHash(new byte[TlogHash.Size]);
        }

        var indexes = SubTreeIndex(0, n, []);
        var hashes = await r.ReadHashesAsync(indexes, ct).ConfigureAwait(false);
        Check(hashes.Count == indexes.Count);
        var pos = 0;
        var h = SubTreeHash(0, n, hashes, ref pos);
        Check(pos == hashes.Count);
        return h;
    }

    public static async ValueTask<List<TlogHash>> ProveRecordAsync(long t, long n, IHashReader r, CancellationToken ct)
    {
        if (t < 0 || n < 0 || n >= t)
        {
            throw new ArgumentException("invalid inputs in ProveRecord");
        }

        var indexes = LeafProofIndex(0, t, n, []);
        if (indexes.Count == 0)
        {
            return [];
        }

        var hashes = await r.ReadHashesAsync(indexes, ct).ConfigureAwait(false);
        Check(hashes.Count == indexes.Count);
        var pos = 0;
        var p = LeafProof(0, t, n, hashes, ref pos);
        Check(pos == hashes.Count);
        return p;
    }

    public static bool CheckRecord(IReadOnlyList<TlogHash> proof, long t, TlogHash th, long n, TlogHash h)
    {
        if (t < 0 || n < 0 || n >= t)
        {
            return false;
        }

        return RunRecordProof(proof, proof.Count, 0, t, n, h) is { } th2 && th2 == th;
    }

    public static async ValueTask<List<TlogHash>> ProveTreeAsync(long t, long n, IHashReader r, CancellationToken ct)
    {
        if (t < 1 || n < 1 || n > t)
        {
            throw new ArgumentException("invalid inputs in ProveTree");
        }

        var indexes = TreeProofIndex(0, t, n, []);
        if (indexes.Count == 0)
        {
            return [];
        }

        var hashes = await r.ReadHashesAsync(indexes, ct).ConfigureAwait(false);
        Check(hashes.Count == indexes.Count);
        var pos = 0;
        var p = TreeProof(0, t, n, hashes, ref pos);
        Check(pos == hashes.Count);
        return p;
    }

    public static bool CheckTree(IReadOnlyList<TlogHash> proof, long t, TlogHash th, long n, TlogHash h)
    {
        if (t < 1 || n < 1 || n > t)
        {
            return false;
        }

        return RunTreeProof(proof, proof.Count, 0, t, n, h) is { } r && r.Old == h && r.New == th;
    }

    internal static List<long> SubTreeIndex(long lo, long hi, List<long> need)
    {
        while (lo < hi)
        {
            var (k, level) = MaxPow2(hi - lo + 1);
            Check((lo & (k - 1)) == 0);
            need.Add(StoredHashIndex(level, lo >> level));
            lo += k;
        }

        return need;
    }

    private static TlogHash SubTreeHash(long lo, long hi, IReadOnlyList<TlogHash> hashes, ref int pos)
    {
        var numTree = 0;
        while (lo < hi)
        {
            var (k, _) = MaxPow2(hi - lo + 1);
            numTree++;
            lo += k;
        }

        Check(hashes.Count - pos >= numTree);
        var h = hashes[pos + numTree - 1];
        for (var i = numTree - 2; i >= 0; i--)
        {
            h = TlogHash.Node(hashes[pos + i], h);
        }

        pos += numTree;
        return h;
    }

    private static List<long> LeafProofIndex(long lo, long hi, long n, List<long> need)
    {
        if (lo + 1 == hi)
        {
            return need;
        }

        var (k, _) = MaxPow2(hi - lo);
        if (n < lo + k)
        {
            LeafProofIndex(lo, lo + k, n, need);
            SubTreeIndex(lo + k, hi, need);
        }
        else
        {
            SubTreeIndex(lo, lo + k, need);
            LeafProofIndex(lo + k, hi, n, need);
        }

        return need;
    }

    private static List<TlogHash> LeafProof(long lo, long hi, long n, IReadOnlyList<TlogHash> hashes, ref int pos)
    {
        if (lo + 1 == hi)
        {
            return [];
        }

        List<TlogHash> p;
        TlogHash th;
        var (k, _) = MaxPow2(hi - lo);
        if (n < lo + k)
        {
            p = LeafProof(lo, lo + k, n, hashes, ref pos);
            th = SubTreeHash(lo + k, hi, hashes, ref pos);
        }
        else
        {
            th = SubTreeHash(lo, lo + k, hashes, ref pos);
            p = LeafProof(lo + k, hi, n, hashes, ref pos);
        }

        p.Add(th);
        return p;
    }

    // proof[0..count) is the proof for the range [lo, hi).
    private static TlogHash? RunRecordProof(IReadOnlyList<TlogHash> p, int count, long lo, long hi, long n, TlogHash leaf)
    {
        if (lo + 1 == hi)
        {
            return count == 0 ? leaf : null;
        }

        if (count == 0)
        {
            return null;
        }

        var (k, _) = MaxPow2(hi - lo);
        var last = p[count - 1];
        if (n < lo + k)
        {
            return RunRecordProof(p, count - 1, lo, lo + k, n, leaf) is { } th ? TlogHash.Node(th, last) : null;
        }

        return RunRecordProof(p, count - 1, lo + k, hi, n, leaf) is { } th2 ? TlogHash.Node(last, th2) : null;
    }

    private static List<long> TreeProofIndex(long lo, long hi, long n, List<long> need)
    {
        if (n == hi)
        {
            return lo == 0 ? need : SubTreeIndex(lo, hi, need);
        }

        var (k, _) = MaxPow2(hi - lo);
        if (n <= lo + k)
        {
            TreeProofIndex(lo, lo + k, n, need);
            SubTreeIndex(lo + k, hi, need);
        }
        else
        {
            SubTreeIndex(lo, lo + k, need);
            TreeProofIndex(lo + k, hi, n, need);
        }

        return need;
    }

    private static List<TlogHash> TreeProof(long lo, long hi, long n, IReadOnlyList<TlogHash> hashes, ref int pos)
    {
        if (n == hi)
        {
            return lo == 0 ? [] : [SubTreeHash(lo, hi, hashes, ref pos)];
        }

        List<TlogHash> p;
        TlogHash th;
        var (k, _) = MaxPow2(hi - lo);
        if (n <= lo + k)
        {
            p = TreeProof(lo, lo + k, n, hashes, ref pos);
            th = SubTreeHash(lo + k, hi, hashes, ref pos);
        }
        else
        {
            th = SubTreeHash(lo, lo + k, hashes, ref pos);
            p = TreeProof(lo + k, hi, n, hashes, ref pos);
        }

        p.Add(th);
        return p;
    }

    private static (TlogHash Old, TlogHash New)? RunTreeProof(IReadOnlyList<TlogHash> p, int count, long lo, long hi, long n, TlogHash old)
    {
        if (n == hi)
        {
            if (lo == 0)
            {
                return count == 0 ? (old, old) : null;
            }

            return count == 1 ? (p[0], p[0]) : null;
        }

        if (count == 0)
        {
            return null;
        }

        var (k, _) = MaxPow2(hi - lo);
        var last = p[count - 1];
        if (n <= lo + k)
        {
            return RunTreeProof(p, count - 1, lo, lo + k, n, old) is { } r ? (r.Old, TlogHash.Node(r.New, last)) : null;
        }

        return RunTreeProof(p, count - 1, lo + k, hi, n, old) is { } r2 ? (TlogHash.Node(last, r2.Old), TlogHash.Node(last, r2.New)) : null;
    }

    // The largest power of two strictly below n, and its log2 (n > 1).
    internal static (long K, int Level) MaxPow2(long n)
    {
        var l = 0;
        while ((1L << (l + 1)) < n)
        {
            l++;
        }

        return (1L << l, l);
    }

    private static void Check(bool ok)
    {
        if (!ok)
        {
            throw new InvalidOperationException("tlog: bad index math");
        }
    }
}
