package io.flhetero.runtime.docker;

/** What the Docker engine's host offers: CPUs and memory, as {@code docker info} reports them. */
public record HostCapacity(int cpus, long memoryBytes) {
}
