package io.flhetero.fl.api;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Everything one round produced.
 *
 * @param wallSeconds      how long the round took here, fit and evaluation
 * @param round            the round; in an asynchronous run, the model version this aggregation made
 * @param simulatedSeconds how long its fit step would have taken on the devices: the slowest contributor's
 *                         device time, or the round timeout when someone timed out; asynchronously, the device
 *                         time since the previous version
 * @param updates          asynchronously, each update of {@code fits} (same order) with its staleness; else empty
 */
public record RoundReport(int round, List<FitOutcome> fits, List<Failure> fitFailures, List<EvaluateOutcome> evaluations,
                          List<Failure> evaluateFailures, Evaluation evaluation, double wallSeconds,
                          double fitWallSeconds, double simulatedSeconds, int clientsLeft, List<AsyncUpdate> updates) {

    /** A synchronous round. */
    public RoundReport(int round, List<FitOutcome> fits, List<Failure> fitFailures, List<EvaluateOutcome> evaluations,
                       List<Failure> evaluateFailures, Evaluation evaluation, double wallSeconds,
                       double fitWallSeconds, double simulatedSeconds, int clientsLeft) {
        this(round, fits, fitFailures, evaluations, evaluateFailures, evaluation, wallSeconds, fitWallSeconds,
                simulatedSeconds, clientsLeft, List.of());
    }

    public boolean asynchronous() {
        return !updates.isEmpty();
    }

    public Optional<FitOutcome> slowest() {
        return fits.stream().max(Comparator.comparingDouble(FitOutcome::simulatedSeconds));
    }

    public int failures() {
        return fitFailures.size() + evaluateFailures.size();
    }
}
