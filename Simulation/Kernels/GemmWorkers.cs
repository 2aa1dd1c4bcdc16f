using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Verify.Simulation.Kernels;

/// <summary>
/// Persistent helper threads for the managed GEMM: part 0 of a call runs on the caller, parts 1…
/// on background threads that wait for the next call spinning for a short while and then sleeping.
/// No allocation and no thread-pool hand-off per call. One call at a time: a second concurrent
/// caller (e.g. parallel sweep runs) gets false and runs its product on its own thread.
/// </summary>
internal static unsafe class GemmWorkers
{
    /// <summary>
    /// How long an idle worker spins (yielding now and then) before it sleeps. The GEMMs of a training
    /// loop come every few hundred µs; waking a sleeping thread costs ~0.2 ms on this VM (measured: a
    /// 1.3 ms product took 1.45 ms after a 1–3 ms pause), so the worker waits out the usual gaps.
    /// </summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 500; // 2 ms

    private static readonly object Gate = new();
    private static int s_busy;
    private static int s_sleepers;
    private static int s_remaining;
    private static delegate*<void*, int, void> s_body;
    private static void* s_state;
    private static ExceptionDispatchInfo? s_error;
    private static Slot[] s_slots = [];

    /// <summary>One worker's mailbox: the caller bumps Generation to hand it part id + 1 of the current call.</summary>
    private sealed class Slot
    {
        public int Generation;
#pragma warning disable CS0169 // padding: slots of different workers on different cache lines
        private long _p1, _p2, _p3, _p4, _p5, _p6, _p7;
#pragma warning restore CS0169
    }

    /// <summary>Runs body(state, i) for i in [0, parts) and returns true, or returns false at once if another call is running.</summary>
    public static bool TryRun(delegate*<void*, int, void> body, void* state, int parts)
    {
        if (Interlocked.CompareExchange(ref s_busy, 1, 0) != 0) return false;
        try
        {
            EnsureWorkers(parts - 1);
            s_body = body; s_state = state; s_error = null;
            Volatile.Write(ref s_remaining, parts - 1);
            for (int i = 0; i < parts - 1; i++) Interlocked.Increment(ref s_slots[i].Generation);
            if (Volatile.Read(ref s_sleepers) > 0) lock (Gate) Monitor.PulseAll(Gate);

            Exception? own = null;
            try { body(state, 0); }
            catch (Exception ex) { own = ex; }
            // The state lives on the caller's stack: wait for every worker, even after an exception.
            var spin = new SpinWait();
            while (Volatile.Read(ref s_remaining) != 0) spin.SpinOnce(sleep1Threshold: -1);
            if (own is not null) ExceptionDispatchInfo.Throw(own);
            s_error?.Throw();
            return true;
        }
        finally
        {
            s_body = null; s_state = null;
            Volatile.Write(ref s_busy, 0);
        }
    }

    private static void EnsureWorkers(int count)
    {
        if (s_slots.Length >= count) return;
        var slots = new Slot[count];
        Array.Copy(s_slots, slots, s_slots.Length);
        for (int i = s_slots.Length; i < count; i++)
        {
            var slot = slots[i] = new Slot();
            int part = i + 1;
            new Thread(() => Work(slot, part)) { IsBackground = true, Name = $"Verify GEMM worker {part}" }.Start();
        }
        s_slots = slots;
    }

    private static void Work(Slot slot, int part)
    {
        int seen = 0;
        while (true)
        {
            seen = WaitForCall(slot, seen);
            try { s_body(s_state, part); }
            catch (Exception ex) { lock (Gate) s_error ??= ExceptionDispatchInfo.Capture(ex); }
            finally { Interlocked.Decrement(ref s_remaining); }
        }
    }

    private static int WaitForCall(Slot slot, int seen)
    {
        long start = Stopwatch.GetTimestamp();
        int spins = 0;
        while (true)
        {
            int g = Volatile.Read(ref slot.Generation);
            if (g != seen) return g;
            if (Stopwatch.GetTimestamp() - start < SpinTicks)
            {
                if (++spins % 64 == 0) Thread.Yield(); else Thread.SpinWait(20);
                continue;
            }
            lock (Gate)
            {
                Interlocked.Increment(ref s_sleepers);
                while ((g = Volatile.Read(ref slot.Generation)) == seen) Monitor.Wait(Gate);
                Interlocked.Decrement(ref s_sleepers);
                return g;
            }
        }
    }
}
