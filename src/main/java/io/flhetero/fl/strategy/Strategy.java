package io.flhetero.fl.strategy;

import java.util.List;

/**
 * How a round's updates are asked for and combined, split as the best FL frameworks split it. The round
 * protocol ({@code RoundCoordinator}) knows nothing about how updates are combined: a new strategy is one class.
 */
public interface Strategy {

    /** Which of the available clients train this round, and with what instructions. */
    List<FitInstruction> configureFit(int round, float[] global, List<ClientProxy> available);

    /**
     * How many of the clients just configured the round keeps: fewer than asked when it over-selects, in which
     * case the first to finish (by device time) count and the rest are dropped.
     */
    default int resultsToKeep(List<FitInstruction> asked) {
        return asked.size();
    }

    /**
     * The next global parameters. {@code results} may be fewer than asked for; with none, the strategy returns
     * {@code global} unchanged.
     */
    float[] aggregateFit(int round, float[] global, List<FitOutcome> results, List<Failure> failures);

    /** Which clients evaluate the new global model. */
    List<ClientProxy> configureEvaluate(int round, List<ClientProxy> available);

    Evaluation aggregateEvaluate(int round, List<EvaluateOutcome> results, List<Failure> failures);
}
