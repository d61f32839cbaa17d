package io.flhetero.fl.api;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Everything one round produced.
 *
 * @param wallSeconds      how long the round took here, fit and evaluation
 * @param simulatedSeconds how long its fit step would have taken on the devices: the slowest contributor's
 *                         device time, or the round timeout when someone timed out
 */
public record RoundReport(int round, List<FitOutcome> fits, List<Failure> fitFailures, List<EvaluateOutcome> evaluations,
                          List<Failure> evaluateFailures, Evaluation evaluation, double wallSeconds,
                          double fitWallSeconds, double simulatedSeconds, int clientsLeft) {

    public Optional<FitOutcome> slowest() {
        return fits.stream().max(Comparator.comparingDouble(FitOutcome::simulatedSeconds));
    }

    public int failures() {
        return fitFailures.size() + evaluateFailures.size();
    }
}
