package io.flhetero.fl.client;

/** Told after each training batch: how many of the fit's batches are done. */
@FunctionalInterface
public interface TrainingProgress {

    TrainingProgress NONE = (done, total) -> { };

    void batchDone(int done, int total);
}
