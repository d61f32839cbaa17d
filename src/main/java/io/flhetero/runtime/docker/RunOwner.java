package io.flhetero.runtime.docker;

import io.flhetero.jvm.ThisHost;

import java.time.Instant;
import java.util.Optional;

/**
 * The process that runs a run (its orchestrator), written on the run's containers and networks as
 * "host/pid/start" so that {@code stop} and a new run can tell a live run from a dead one's leftovers. The start
 * time guards against a recycled pid.
 */
public record RunOwner(String host, long pid, long startMillis) {

    /**
     * The JDK derives start times from the boot time in whole seconds, so a clock step moves them by a second or
     * more; a recycled pid belongs to a process started long after.
     */
    private static final long START_TOLERANCE_MILLIS = 60_000;

    /** This process. */
    public static RunOwner current() {
        ProcessHandle self = ProcessHandle.current();
        return new RunOwner(hostName(), self.pid(),
                self.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
    }

    /** The owner a label names, if it names one. */
    public static Optional<RunOwner> parse(String label) {
        if (label == null) {
            return Optional.empty();
        }
        String[] parts = label.split("/");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RunOwner(parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public String label() {
        return host + "/" + pid + "/" + startMillis;
    }

    /**
     * Whether the owner still runs: checked on this host by pid and start time; an owner on another host cannot be
     * checked and counts as live, so that nothing of it is removed without being asked.
     */
    public boolean alive() {
        if (!host.equals(hostName())) {
            return true;
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> startMillis == 0 || p.info().startInstant().map(Instant::toEpochMilli)
                        .map(start -> Math.abs(start - startMillis) < START_TOLERANCE_MILLIS).orElse(true))
                .isPresent();
    }

    /** For messages: "pid 1234" on this host, "pid 1234 on HOST" elsewhere. */
    public String describe() {
        return "pid " + pid + (host.equals(hostName()) ? "" : " on " + host);
    }

    private static String hostName() {
        return ThisHost.name();
    }
}
