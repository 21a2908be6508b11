package dev.ravine.kernel;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * Picks the {@link MicroKernel} shape for this machine at start-up from its vector register file: the largest
 * block whose accumulators, B vectors and broadcast fit without spilling.
 *
 * <p>With 32 registers (AVX-512, and NEON's 32 x 128-bit) that is 8 x 2 (19 registers). With 16 (AVX2) it depends
 * on C2's register-pressure-aware scheduler ({@code -XX:+OptoRegScheduling}, on by default). Measured on Zen 5 with
 * {@code -XX:UseAVX=2}, one thread, the micro-kernel alone on packed data in cache (kc 512, GFLOP per CPU-second,
 * load 6-9): with the scheduler on, 4 x 2 ran 114-118, 6 x 2 58-60 and 4 x 3 58-62 (they spill: the scheduler
 * hoists the broadcasts, each into a register of its own, as AVX2 has no embedded broadcast); with it off
 * ({@code -XX:-OptoRegScheduling}) 6 x 2 ran 128-135 and 4 x 2 121-122, while 4 x 3 still spilled (59-63). So
 * 16 registers get 6 x 2 (15 registers) only where the scheduler is off, else 4 x 2 (11). That spill is not
 * universal: on a real Zen 3 (JDK 25.0.3, kc 256, 2026-12-06) 6 x 2 ran 91-98 with the scheduler on, 4 x 2 86-96,
 * so the tuner's trial tries both there ({@link GemmTuner#candidateShapes}); the rule keeps the shape that never
 * spills. 8 x 2 spills on 16
 * registers either way (49-50 in GemmFlops at 1024^3). {@link MicroKernel12x2} (27 registers) is in the
 * enumeration for 32-register files but is not the start-up rule's pick: it beat 8 x 2 alone in cache on an Intel
 * Xeon but not in the whole GEMM there. The system property {@code ravine.gemm.block=RxV} (e.g. {@code 6x2})
 * forces a shape, for benchmarks.
 */
final class MicroKernelChoice {
    private MicroKernelChoice() {}

    /** Every shape, so tests can run each one whatever the host. */
    static List<MicroKernel> all() {
        return List.of(new MicroKernel8x2(), new MicroKernel12x2(), new MicroKernel6x2(), new MicroKernel4x2());
    }

    /** The shape named by {@code ravine.gemm.block}, else the one that fits this machine's registers. */
    static MicroKernel forThisMachine() {
        String forced = System.getProperty("ravine.gemm.block", "").trim();
        if (forced.isEmpty()) return forRegisters(vectorRegisters(), pressureScheduling());
        try {
            return byShape(forced);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("system property ravine.gemm.block: " + e.getMessage(), e);
        }
    }

    /** The shape for {@code registers} vector registers, given whether C2 schedules for register pressure. */
    static MicroKernel forRegisters(int registers, boolean pressureScheduling) {
        if (registers >= 32) return new MicroKernel8x2();
        return pressureScheduling ? new MicroKernel4x2() : new MicroKernel6x2();
    }

    /** The shape named like {@code 8x2}; IllegalArgumentException for one not in {@link #all()}. */
    static MicroKernel byShape(String shape) {
        List<MicroKernel> all = all();
        for (MicroKernel kernel : all) {
            if (kernel.shape().equals(shape)) return kernel;
        }
        throw new IllegalArgumentException("the micro-kernel shape must be one of "
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
        String value = vmOption("UseAVX");
        return value == null ? 0 : Integer.parseInt(value);
    }

    /**
     * Whether C2 schedules for register pressure ({@code OptoRegScheduling}); assumed on where the flag cannot be
     * read (another JVM, a platform without it), which keeps the shape that does not depend on it.
     */
    static boolean pressureScheduling() {
        return !"false".equals(vmOption("OptoRegScheduling"));
    }

    /** A HotSpot flag's value, or null when this JVM has no such flag or it cannot be read. */
    private static String vmOption(String name) {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return vm == null ? null : vm.getVMOption(name).getValue();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
