package io.flhetero.fl.server;

import io.flhetero.fl.api.EvaluateOutcome;

import java.util.List;

/**
 * Evaluates a global model on the server, on each client's test split, when the clients are busy training (an
 * asynchronous run): the same figures, per client and weighted by test examples, as a federated evaluation.
 */
@FunctionalInterface
public interface Evaluator {

    List<EvaluateOutcome> evaluate(float[] global);
}
