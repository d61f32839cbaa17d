package io.flhetero.fl.strategy;

import io.flhetero.fl.api.EvaluateOutcome;
import io.flhetero.fl.api.Evaluation;
import io.flhetero.fl.api.Failure;
import io.flhetero.fl.api.FitInstruction;
import io.flhetero.fl.api.FitOutcome;
import io.flhetero.fl.api.RegisteredClient;

import java.util.List;

/**
 * How a round's updates are asked for and combined, split as the best FL frameworks split it. The round
 * protocol ({@code RoundCoordinator}) knows nothing about how updates are combined: a new strategy is one class.
 */
public interface Strategy {

    /** Which of the available clients train this round, and with what instructions. */
    List<FitInstruction> configureFit(int round, float[] global, List<RegisteredClient> available);

    /**
     * How many of the clients just configured the round keeps: fewer than asked when it over-selects, in which
     * case the first to finish (by device time) count and the rest are dropped.
     */
    default int resultsToKeep(List<FitInstruction> asked) {
        return asked.size();
    }

    /** Of more results than {@code keep}, those the round aggregates; the others come back as dropped. */
    KeptResults keep(int keep, List<FitOutcome> results);

    /**
     * The next global parameters. {@code results} may be fewer than asked for; with none, the strategy returns
     * {@code global} unchanged.
     */
    float[] aggregateFit(int round, float[] global, List<FitOutcome> results, List<Failure> failures);

    /** Which clients evaluate the new global model. */
    List<RegisteredClient> configureEvaluate(int round, List<RegisteredClient> available);

    Evaluation aggregateEvaluate(int round, List<EvaluateOutcome> results, List<Failure> failures);
}
