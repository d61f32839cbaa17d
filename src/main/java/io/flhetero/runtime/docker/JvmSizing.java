package io.flhetero.runtime.docker;

import io.flhetero.profile.DeviceClass;

import java.util.List;

/**
 * Sizes the client JVM and ND4J to its container: the JVM sees ceil(cpus) processors, the heap gets 25 % of
 * the limit (ND4J's off-heap arrays, not the heap, hold the model), ND4J's off-heap may use up to the limit and
 * javacpp's own physical-memory check is off, so that a client that needs more than its device has is
 * OOM-killed by the kernel, as on a real device, rather than failing on a Java-side guess.
 *
 * <p>ND4J/OpenMP get one thread whatever the device: the fused engine trains on one thread, and a second OpenMP
 * thread only slowed it (3x at batch 32, where it spins beside the Java loops; no gain at 256). The JIT keeps
 * C2: a third of the engine is Java loops that only C2 vectorises (C1 alone trains 2-2.5x slower).
 *
 * @param maxPhysicalBytes javacpp's physical-memory check; 0 turns it off
 */
public record JvmSizing(int processors, int ompThreads, long maxBytes, long maxPhysicalBytes) {

    public static final String JAVACPP_CACHE = "/cache/javacpp";

    public static JvmSizing of(DeviceClass device) {
        int processors = (int) Math.max(1, Math.ceil(device.cpus()));
        long memory = device.memory().bytes();
        return new JvmSizing(processors, 1, memory, 0);
    }

    public List<String> jvmOptions() {
        return List.of(
                "-XX:MaxRAMPercentage=25",
                "-XX:ActiveProcessorCount=" + processors,
                "-XX:+UseSerialGC",
                "-Dorg.bytedeco.javacpp.maxbytes=" + maxBytes,
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=" + maxPhysicalBytes,
                "-Dorg.bytedeco.javacpp.cachedir=" + JAVACPP_CACHE);
    }

    public List<String> environment() {
        return List.of("OMP_NUM_THREADS=" + ompThreads);
    }
}
