package io.flhetero.runtime.local;

import io.flhetero.fl.client.ClientModel;
import io.flhetero.model.Network;
import io.flhetero.model.OptimizerState;

import java.util.function.Function;

/**
 * A virtual client's model: a network borrowed from the pool for each call. A fit first loads the client's optimizer
 * state (a fresh one before its first fit) and stores what the fit left; the parameters are the caller's to write,
 * every fit and evaluation starting from the global model. So a client trains exactly as it would on a network of
 * its own.
 */
final class PooledModel implements ClientModel {

    private final String clientId;
    private final ModelPool pool;
    private final OptimizerStates states;

    PooledModel(String clientId, ModelPool pool, OptimizerStates states) {
        this.clientId = clientId;
        this.pool = pool;
        this.states = states;
    }

    @Override
    public <T> T fit(Function<Network, T> training) {
        Network network = pool.borrow();
        try {
            network.restoreOptimizerState(optimizerState());
            T result = training.apply(network);
            states.put(clientId, network.optimizerState());
            return result;
        } finally {
            pool.giveBack(network);
        }
    }

    @Override
    public <T> T score(Function<Network, T> scoring) {
        Network network = pool.borrow();
        try {
            return scoring.apply(network);
        } finally {
            pool.giveBack(network);
        }
    }

    @Override
    public OptimizerState optimizerState() {
        return states.get(clientId).orElseGet(() -> OptimizerState.initial(pool.parameters()));
    }

    @Override
    public void restoreOptimizerState(OptimizerState state) {
        states.put(clientId, state);
    }
}
