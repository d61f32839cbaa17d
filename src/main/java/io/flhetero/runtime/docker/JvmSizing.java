package io.flhetero.runtime.docker;

import io.flhetero.profile.DeviceClass;

import java.util.List;

/**
 * Sizes the client JVM and ND4J to its container: the JVM sees ceil(cpus) processors, the heap gets 25 % of
 * the limit (ND4J's off-heap arrays, not the heap, hold the model), ND4J's off-heap may use up to the limit and
 * javacpp's own physical-memory check is off, so that a client that needs more than its device has is
 * OOM-killed by the kernel, as on a real device, rather than failing on a Java-side guess. ND4J/OpenMP get one
 * thread per whole CPU. The JIT stops at C1: training runs in ND4J's native code, so C2 bought no measurable
 * training speed but cost a third of a client's CPU time at start-up.
 *
 * @param maxPhysicalBytes javacpp's physical-memory check; 0 turns it off
 */
public record JvmSizing(int processors, int ompThreads, long maxBytes, long maxPhysicalBytes) {

    public static final String JAVACPP_CACHE = "/cache/javacpp";

    public static JvmSizing of(DeviceClass device) {
        int processors = (int) Math.max(1, Math.ceil(device.cpus()));
        int omp = (int) Math.max(1, Math.floor(device.cpus()));
        long memory = device.memory().bytes();
        return new JvmSizing(processors, omp, memory, 0);
    }

    public List<String> jvmOptions() {
        return List.of(
                "-XX:MaxRAMPercentage=25",
                "-XX:ActiveProcessorCount=" + processors,
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dorg.bytedeco.javacpp.maxbytes=" + maxBytes,
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=" + maxPhysicalBytes,
                "-Dorg.bytedeco.javacpp.cachedir=" + JAVACPP_CACHE);
    }

    public List<String> environment() {
        return List.of("OMP_NUM_THREADS=" + ompThreads);
    }
}
