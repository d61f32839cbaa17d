package io.flhetero.jvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident memory as the kernel counts it (heap, off-heap ND4J buffers and natives alike). */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** Peak resident set size in MB (VmHWM), or -1 where /proc is not there. */
    public static long peakRssMb() {
        return statusField("VmHWM:");
    }

    /** Current resident set size in MB (VmRSS), or -1 where /proc is not there. */
    public static long rssMb() {
        return statusField("VmRSS:");
    }

    private static long statusField(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
