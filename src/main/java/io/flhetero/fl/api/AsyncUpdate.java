package io.flhetero.fl.api;

/**
 * An update of an asynchronous run (FedBuff): the client's result, the model version it trained on, how many
 * versions the global model moved on meanwhile, and its weight in the buffer against an average client's update
 * (staleness and frequency correction included).
 */
public record AsyncUpdate(FitOutcome outcome, int baseVersion, int staleness, double weight) {
}
