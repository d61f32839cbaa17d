package io.flhetero.fl.strategy;

/**
 * The server's view of a registered client: who it is, what device it emulates, how much data it holds, what
 * its JVM sees of the device (processors and maximum heap, which in a container follow its limits), and the
 * batch size and learning rate its device class states.
 */
public record ClientProxy(String id, String deviceClass, double cpus, long memoryBytes, int trainExamples,
                          int testExamples, int processors, long maxHeapBytes, int batchSize, double learningRate) {

    public ClientProxy(String id, String deviceClass, double cpus, long memoryBytes, int trainExamples,
                       int testExamples) {
        this(id, deviceClass, cpus, memoryBytes, trainExamples, testExamples, 0, 0, 0, 0);
    }
}
