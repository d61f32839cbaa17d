package io.flhetero.fl.server;

import io.flhetero.fl.api.RunListener;
import io.flhetero.fl.availability.Availability;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Tells the listener when each client went offline and came back, at the moment the availability says, as the
 * coordinator's clock moves past it: the console, the metrics and the run directory show who was online when.
 */
final class OnlineWatch {

    private final Availability availability;
    private final RunListener listener;
    /** Each client's state at {@link #last}, once seen. */
    private final Map<String, Boolean> online = new HashMap<>();
    private double last;

    OnlineWatch(Availability availability, RunListener listener) {
        this.availability = availability;
        this.listener = listener;
    }

    /** A resumed run's clock: changes before it were reported by the run that wrote the checkpoint. */
    void startAt(double t) {
        last = t;
    }

    /**
     * Reports every change up to {@code t} for these clients; a client seen for the first time is reported only
     * when it is offline (it registered online).
     */
    void advanceTo(double t, List<String> clientIds) {
        if (availability == Availability.ALWAYS) {
            return;
        }
        double from = Math.min(last, t);
        for (String id : clientIds) {
            Boolean was = online.get(id);
            if (was == null) {
                was = availability.online(id, from);
                if (!was) {
                    listener.availabilityChanged(id, false, from);
                }
            }
            online.put(id, changes(id, was, from, t));
        }
        last = Math.max(last, t);
    }

    /** Reports the client's changes in (from, t]; its state at t. */
    private boolean changes(String id, boolean state, double from, double t) {
        double at = from;
        while (at < t) {
            if (state) {
                OptionalDouble left = availability.offlineBetween(id, at, t);
                if (left.isEmpty() || left.getAsDouble() > t) {
                    return true;
                }
                at = left.getAsDouble();
            } else {
                double back = availability.nextOnline(id, at);
                if (back > t) {
                    return false;
                }
                at = back;
            }
            state = !state;
            listener.availabilityChanged(id, state, at);
        }
        return state;
    }
}
