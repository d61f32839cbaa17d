package io.flhetero.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine (a Docker engine, Prometheus, a Debian data set): missing, the test is
 * skipped with one line saying why and how to get it, except in CI (CI=true), where it fails, since CI
 * provides all of it (.ci/run).
 */
public final class Requirement {

    private Requirement() {
    }

    /** Skips the calling test, or fails it in CI. {@code why} names what is missing and how to get it. */
    public static void missing(String tests, String why) {
        String line = tests + " tests skipped: " + why;
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must run the " + tests + " tests, but: " + why);
        }
        System.out.println(line);
        Assumptions.abort(line);
    }
}
