package dev.ravine.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a GEMM tuning result depends on, as the key of {@link GemmTuningCache}: the CPU model, the vector width and
 * register count the JIT uses (an AVX-512 CPU run with {@code -XX:UseAVX=2} is another machine), whether C2
 * schedules for register pressure (it decides which shapes spill) and the JDK version (its JIT writes the code).
 */
record MachineKey(String cpu, int vectorBits, int registers, boolean pressureScheduling, String jdk) {

    static MachineKey ofThisMachine() {
        return new MachineKey(cpuModel(), MicroKernel.SPECIES.vectorBitSize(), MicroKernelChoice.vectorRegisters(),
                MicroKernelChoice.pressureScheduling(), Runtime.version().toString());
    }

    /** One line, e.g. {@code Intel(R) Xeon(R) Processor (family 6 model 167) | 512-bit | 32 registers | JDK 25+36}. */
    String text() {
        return cpu + " | " + vectorBits + "-bit | " + registers + " registers"
                + (pressureScheduling ? "" : " | -XX:-OptoRegScheduling") + " | JDK " + jdk;
    }

    /**
     * The CPU's model name with its family and model numbers where Linux tells them (two CPUs sold under one name
     * can differ), else the architecture and, on Windows, the processor identifier.
     */
    static String cpuModel() {
        String arch = System.getProperty("os.arch", "unknown");
        try {
            String fromProc = fromCpuinfo(Files.readAllLines(Path.of("/proc/cpuinfo")));
            if (fromProc != null) return fromProc + " " + arch;
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: fall back below
        }
        String identifier = System.getenv("PROCESSOR_IDENTIFIER");
        return identifier == null || identifier.isBlank() ? arch : identifier.trim() + " " + arch;
    }

    /** The model name, family and model of the first processor in /proc/cpuinfo's lines; null when it has none. */
    static String fromCpuinfo(List<String> lines) {
        String name = null, family = null, model = null;
        for (String line : lines) {
            if (line.isBlank() && name != null) break; // the first processor's block is enough
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String field = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (field) {
                case "model name", "processor name", "hardware" -> name = name == null ? value : name;
                case "cpu family" -> family = value;
                case "model" -> model = value;
                case "cpu part" -> model = model == null ? value : model; // AArch64 names its core this way
                default -> { }
            }
        }
        if (name == null && model == null) return null;
        StringBuilder text = new StringBuilder(name == null ? "cpu" : name);
        if (family != null || model != null) {
            text.append(" (");
            if (family != null) text.append("family ").append(family).append(model == null ? "" : " ");
            if (model != null) text.append("model ").append(model);
            text.append(")");
        }
        return text.toString();
    }
}
