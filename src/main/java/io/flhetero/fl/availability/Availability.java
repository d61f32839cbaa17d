package io.flhetero.fl.availability;

import java.util.OptionalDouble;

/**
 * When each client is online (churn), on the run's device-time clock in seconds. An offline client is not asked
 * to train or evaluate; one that goes offline during its work loses it (reason {@code offline}).
 */
public interface Availability {

    /** Every client online all the time. */
    Availability ALWAYS = new Availability() {
        @Override
        public boolean online(String clientId, double t) {
            return true;
        }

        @Override
        public OptionalDouble offlineBetween(String clientId, double from, double to) {
            return OptionalDouble.empty();
        }

        @Override
        public double nextOnline(String clientId, double t) {
            return t;
        }
    };

    boolean online(String clientId, double t);

    /** The first moment in [from, to) at which the client is offline; empty when it is online throughout. */
    OptionalDouble offlineBetween(String clientId, double from, double to);

    /** The first moment at or after {@code t} at which the client is online; infinity when never again. */
    double nextOnline(String clientId, double t);
}
