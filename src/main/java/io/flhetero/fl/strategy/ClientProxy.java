package io.flhetero.fl.strategy;

/**
 * The server's view of a registered client: who it is, what device it emulates and how much data it holds.
 */
public record ClientProxy(String id, String deviceClass, double cpus, long memoryBytes, int trainExamples,
                          int testExamples) {
}
