package dev.ravine.kernel;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * Picks the {@link MicroKernel} shape for this machine at start-up from its vector register file: the largest
 * block whose accumulators, B vectors and broadcast fit without spilling.
 *
 * <p>With 32 registers (AVX-512, and NEON's 32 x 128-bit) that is 8 x 2 (19 registers). With 16 (AVX2) it is
 * 4 x 2 (11): measured on Zen 5 with {@code -XX:UseAVX=2} (GemmFlops 1024^3, one thread, GFLOP per CPU-second on a
 * loaded machine), 4 x 2 ran 72-76, 8 x 2 49-50 (it spills accumulators on every k step), and the shapes that fill
 * 15-16 registers on paper spilled too, 6 x 2 at 26-34 and 4 x 3 at 27-29: without AVX-512's embedded broadcast
 * every broadcast needs a register of its own, and C2 hoists several at once. The system property
 * {@code ravine.gemm.block=RxV} (e.g. {@code 4x2}) forces a shape, for benchmarks.
 */
final class MicroKernelChoice {
    private MicroKernelChoice() {}

    /** Every shape, so tests can run each one whatever the host. */
    static List<MicroKernel> all() {
        return List.of(new MicroKernel8x2(), new MicroKernel4x2());
    }

    /** The shape named by {@code ravine.gemm.block}, else the one that fits this machine's registers. */
    static MicroKernel forThisMachine() {
        String forced = System.getProperty("ravine.gemm.block", "").trim();
        if (!forced.isEmpty()) return byShape(forced);
        return forRegisters(vectorRegisters());
    }

    static MicroKernel forRegisters(int registers) {
        return registers >= 32 ? new MicroKernel8x2() : new MicroKernel4x2();
    }

    private static MicroKernel byShape(String shape) {
        List<MicroKernel> all = all();
        for (MicroKernel kernel : all) {
            if (kernel.shape().equals(shape)) return kernel;
        }
        throw new IllegalArgumentException("system property ravine.gemm.block must be one of "
                + all.stream().map(MicroKernel::shape).toList() + " (rows x vectors), got '" + shape + "'");
    }

    /**
     * Vector registers the JIT can allocate: 32 on AArch64 (NEON, SVE) and on x86 with AVX-512 (EVEX encodings
     * reach zmm16-31), 16 on x86 without it. The JVM may run an AVX-512 CPU at 256 bits, so on x86 the flag the JIT
     * obeys ({@code UseAVX}) decides, not the vector width.
     */
    static int vectorRegisters() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (arch.equals("aarch64") || arch.equals("arm64")) return 32;
        if (MicroKernel.SPECIES.vectorBitSize() >= 512) return 32;
        return useAvx() >= 3 ? 32 : 16;
    }

    /** HotSpot's UseAVX level, or 0 when it cannot be read (another JVM, or jdk.management absent). */
    private static int useAvx() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return vm == null ? 0 : Integer.parseInt(vm.getVMOption("UseAVX").getValue());
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
    }
}
