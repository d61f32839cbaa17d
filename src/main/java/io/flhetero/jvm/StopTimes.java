package io.flhetero.jvm;

import java.time.Duration;

/**
 * How long each layer of a graceful stop waits for the layer inside it: the launcher for the run, the run for its
 * clients. Each is derived from the one inside plus a margin for the rest of its own work (the run directory,
 * the other releases), so that the order of the three is written once.
 */
public final class StopTimes {

    /** A client container leaving the cluster; the first run of a JAR also writes the class-data archive. */
    public static final Duration CLIENT_EXIT = Duration.ofSeconds(8);
    public static final Duration CLIENT_EXIT_WRITING_ARCHIVE = Duration.ofSeconds(45);
    /** A stopped run: its current step, the run directory and the teardown of everything it started. */
    public static final Duration RUN = CLIENT_EXIT_WRITING_ARCHIVE.plusSeconds(30);
    /** The launcher, for the run's JVM that it forwarded a signal to. */
    public static final Duration LAUNCHER = RUN.plusSeconds(15);

    private StopTimes() {
    }
}
