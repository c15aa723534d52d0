using System.Text;

namespace Moddock.Modules.Tests.Differential;

/// <summary>Asks Go and Moddock the same questions and fails with the first disagreements.</summary>
internal static class Differ
{
    /// <summary>Compares every answer field; Moddock must not throw on any input.</summary>
    public static void AssertSame(ModOracle oracle, IReadOnlyList<OracleRequest> requests, Func<OracleRequest, string[], bool>? knownDivergence = null)
    {
        Assert.NotEmpty(requests);
        var go = oracle.Ask(requests);
        var failures = new StringBuilder();
        var count = 0;
        for (var i = 0; i < requests.Count; i++)
        {
            string[] ours;
            try
            {
                ours = ModdockAnswers.Answer(requests[i]);
            }
#pragma warning disable CA1031 // any exception is the finding being reported
            catch (Exception e)
#pragma warning restore CA1031
            {
                ours = ["threw " + e.GetType().Name + ": " + e.Message];
            }

            if (ours.SequenceEqual(go[i], StringComparer.Ordinal) || (knownDivergence?.Invoke(requests[i], go[i]) ?? false))
            {
                continue;
            }

            if (++count <= 15)
            {
                failures.AppendLine($"{requests[i]}\n   go:      [{string.Join(" | ", go[i])}]\n   moddock: [{string.Join(" | ", ours)}]");
            }
        }

        Assert.True(count == 0, $"{count} of {requests.Count} answers differ from Go:\n{failures}");
    }
}
