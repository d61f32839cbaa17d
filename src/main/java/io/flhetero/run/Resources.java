package io.flhetero.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a run has acquired, each registered with its release at the moment it is acquired; {@link #close()}
 * releases them in reverse order. So the order of teardown is written once, by the order of start-up. A release
 * that fails is reported with the command that cleans up, and the others still run.
 */
final class Resources implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Resources.class);

    /** A release that may throw anything. */
    @FunctionalInterface
    interface Release {
        void run() throws Exception;
    }

    private record Step(String what, Release release) {
    }

    private final String runId;
    private final Deque<Step> steps = new ArrayDeque<>();

    Resources(String runId) {
        this.runId = runId;
    }

    /** Registers what undoes an acquisition just made; {@code what} names it in a failure ("removing the ..."). */
    synchronized <T> T add(T resource, String what, Release release) {
        steps.push(new Step(what, release));
        return resource;
    }

    synchronized void add(String what, Release release) {
        steps.push(new Step(what, release));
    }

    @Override
    public synchronized void close() {
        // An interrupt must not cut the later releases short: it is passed on once all of them ran.
        boolean interrupted = Thread.interrupted();
        while (!steps.isEmpty()) {
            Step step = steps.pop();
            try {
                step.release().run();
            } catch (InterruptedException e) {
                interrupted = true;
                LOG.error("{} was interrupted; `fl-hetero stop {}` removes what is left of the run", step.what(), runId);
            } catch (Exception e) {
                LOG.error("{} failed: {}; `fl-hetero stop {}` removes what is left of the run", step.what(),
                        e.toString(), runId);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
