package io.flhetero.runtime.docker;

import java.lang.management.ManagementFactory;

/** What the Docker engine's host offers: CPUs and memory, as {@code docker info} reports them. */
public record HostCapacity(int cpus, long memoryBytes) {

    /** This machine, as the JVM sees it: for an in-process run that is to predict containers on it. */
    public static HostCapacity ofThisMachine() {
        long memory = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize() : Runtime.getRuntime().maxMemory();
        return new HostCapacity(Runtime.getRuntime().availableProcessors(), memory);
    }
}
