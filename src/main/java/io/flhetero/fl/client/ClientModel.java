package io.flhetero.fl.client;

import io.flhetero.model.Network;
import io.flhetero.model.OptimizerState;

import java.util.function.Function;

/**
 * The network a client trains and scores with, and the optimizer state it carries from one fit to the next. A
 * client in a process of its own has a network of its own ({@link #own}); thousands of in-process clients share a
 * small pool of networks, each fit loading the client's optimizer state into one and taking it back out.
 */
public interface ClientModel {

    /** Runs a fit on a network that holds this client's optimizer state; the state the fit leaves is the client's. */
    <T> T fit(Function<Network, T> training);

    /** Runs an evaluation on a network whose parameters the caller writes (the optimizer state plays no part). */
    <T> T score(Function<Network, T> scoring);

    /** The optimizer's state between fits, for a checkpoint. */
    OptimizerState optimizerState();

    /** Continues from a state {@link #optimizerState()} returned, for a resumed run. */
    void restoreOptimizerState(OptimizerState state);

    /** A network that only this client uses: its optimizer state simply stays in it. */
    static ClientModel own(Network network) {
        return new ClientModel() {
            @Override
            public <T> T fit(Function<Network, T> training) {
                return training.apply(network);
            }

            @Override
            public <T> T score(Function<Network, T> scoring) {
                return scoring.apply(network);
            }

            @Override
            public OptimizerState optimizerState() {
                return network.optimizerState();
            }

            @Override
            public void restoreOptimizerState(OptimizerState state) {
                network.restoreOptimizerState(state);
            }
        };
    }
}
