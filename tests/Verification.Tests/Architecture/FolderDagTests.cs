namespace Verify.Verification.Tests.Architecture;

public class FolderDagTests
{
    [Test]
    public void Print()
    {
        foreach (var (asm, root) in new[] { (typeof(Verify.Simulation.Runs.Simulator).Assembly, "Verify.Simulation"), (typeof(Verify.Verification.Settings.RunSettings).Assembly, "Verify.Verification") })
        {
            var g = FolderGraph.Of(asm, root);
            foreach (var (k, v) in g) TestContext.Progress.WriteLine($"GRAPH {root} {k}: {string.Join(", ", v)}");
            TestContext.Progress.WriteLine($"CYCLE {root}: {FolderGraph.Cycle(g)}");
        }
    }
}
