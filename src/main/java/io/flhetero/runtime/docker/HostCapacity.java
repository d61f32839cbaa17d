package io.flhetero.runtime.docker;

import io.flhetero.jvm.ThisHost;

/** What the Docker engine's host offers: CPUs and memory, as {@code docker info} reports them. */
public record HostCapacity(int cpus, long memoryBytes) {

    /** This machine, as the JVM sees it: for an in-process run that is to predict containers on it. */
    public static HostCapacity ofThisMachine() {
        return new HostCapacity(Runtime.getRuntime().availableProcessors(),
                ThisHost.memoryBytes().orElse(Runtime.getRuntime().maxMemory()));
    }
}
