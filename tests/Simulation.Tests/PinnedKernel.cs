using Verify.Simulation.Kernels;

namespace Verify.Simulation.Tests;

/// <summary>
/// Every test of this assembly runs on the managed kernel, as <see cref="TestProblems.Gemm"/> does, including the
/// <c>Simulator.Run(spec)</c> calls that take <see cref="Backend.Default"/>. Unpinned, the default is VERIFY_BLAS or auto,
/// and auto takes whichever kernel a timing calibration in this process measured faster: one process ran a test on
/// OpenBLAS and the next on the managed kernel. Their results differ in the last bits, which training amplifies: with
/// Precision.Single at d = 10⁶ the robust training loss of HugeDimensionTests' cell moves 1e-3 relative from f64 on
/// OpenBLAS against 5e-7 on the managed kernel, so that test failed in a run whose calibration chose OpenBLAS.
/// Tests of the choice itself call <see cref="Backend.Select(BlasChoice, BackendContext?)"/> with explicit kernels, and the tests that compare
/// OpenBLAS with the managed kernel name both (KernelTests, BackendTests).
/// </summary>
[SetUpFixture]
public sealed class PinnedKernel
{
    private IDisposable? _pin;

    [OneTimeSetUp]
    public void Pin() => _pin = Backend.Configure(BlasChoice.Managed, null, null);

    [OneTimeTearDown]
    public void Unpin() => _pin?.Dispose();
}
