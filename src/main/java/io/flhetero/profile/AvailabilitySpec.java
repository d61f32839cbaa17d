package io.flhetero.profile;

import java.nio.file.Path;
import java.time.Duration;

/**
 * When the devices of a class are online (churn). Either a model: in the long run a share {@code online} of the
 * time, in sessions of {@code session} on average (exponentially distributed, seeded per client); or a trace
 * file of online intervals per client. Device time is the clock: simulated in-process.
 *
 * @param online  the long-run share of time online, in (0, 1]; 1: always
 * @param session the mean length of an online session
 * @param trace   a CSV file of {@code client_id,start_seconds,end_seconds} online intervals; null: the model
 */
public record AvailabilitySpec(double online, Duration session, Path trace) {

    public static final AvailabilitySpec ALWAYS = new AvailabilitySpec(1, Duration.ofHours(1), null);

    public boolean always() {
        return trace == null && online >= 1;
    }
}
