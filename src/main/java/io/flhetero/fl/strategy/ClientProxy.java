package io.flhetero.fl.strategy;

/**
 * The server's view of a registered client: who it is, what device it emulates, how much data it holds, and
 * what its JVM sees of the device (processors and maximum heap), which in a container follow its limits.
 */
public record ClientProxy(String id, String deviceClass, double cpus, long memoryBytes, int trainExamples,
                          int testExamples, int processors, long maxHeapBytes) {

    public ClientProxy(String id, String deviceClass, double cpus, long memoryBytes, int trainExamples,
                       int testExamples) {
        this(id, deviceClass, cpus, memoryBytes, trainExamples, testExamples, 0, 0);
    }
}
