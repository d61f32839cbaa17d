package io.flhetero.fl.server;

import io.flhetero.fl.api.Failure;
import io.flhetero.fl.api.FailureReason;
import io.flhetero.fl.api.RunListener;
import io.flhetero.fl.strategy.MemoryKills;

import java.util.List;
import java.util.function.Predicate;

/**
 * What happens to a client killed for memory, in fit or in evaluation: the kill is counted ({@link MemoryKills},
 * which halves its batch), and while it has restarts left its runtime starts it again and the run waits for it
 * to register; otherwise it stays out of the run.
 */
public final class OomRestarts {

    private final MemoryKills kills;
    private final Predicate<String> restart;

    /** @param restart the runtime's restart of a client, true if it did; without one clients leave at once */
    public OomRestarts(MemoryKills kills, Predicate<String> restart) {
        this.kills = kills;
        this.restart = restart;
    }

    void handle(List<Failure> failures, ClientRegistry registry, RunListener listener) {
        for (Failure f : failures) {
            if (f.reason() != FailureReason.OOM) {
                continue;
            }
            int n = kills.record(f.clientId());
            // Expected back before the restart, since an in-process client registers again within milliseconds.
            registry.expectBack(f.clientId());
            if (kills.mayRestart(f.clientId()) && restart.test(f.clientId())) {
                listener.clientRestarted(f.clientId(), n, kills.maxRestarts());
            } else {
                registry.giveUpOn(f.clientId());
            }
        }
    }
}
