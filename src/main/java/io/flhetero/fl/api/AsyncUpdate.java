package io.flhetero.fl.api;

/**
 * An update of an asynchronous run (FedBuff): the client's result, the model version it trained on, how many
 * versions the global model moved on meanwhile, and the factor that staleness gave it.
 */
public record AsyncUpdate(FitOutcome outcome, int baseVersion, int staleness, double weight) {
}
