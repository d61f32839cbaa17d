package io.flhetero.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Applies {@code -v}: our own logging to DEBUG and the libraries' to INFO. */
final class Verbosity {

    private Verbosity() {
    }

    static void verbose() {
        ((Logger) LoggerFactory.getLogger("io.flhetero")).setLevel(Level.DEBUG);
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
    }
}
