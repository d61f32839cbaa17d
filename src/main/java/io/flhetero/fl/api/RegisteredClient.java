package io.flhetero.fl.api;

/**
 * A client as the server knows it from its registration: who it is, what device it emulates, how much data it
 * holds, what its JVM sees of the device (processors and maximum heap, which in a container follow its limits),
 * and the training settings its device class states.
 */
public record RegisteredClient(String id, String deviceClass, double cpus, long memoryBytes, int trainExamples,
                               int testExamples, int processors, long maxHeapBytes, FitConfig ownSettings) {
}
