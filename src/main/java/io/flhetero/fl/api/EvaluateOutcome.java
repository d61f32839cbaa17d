package io.flhetero.fl.api;

/** A client's evaluation of the global model on its own test split. */
public record EvaluateOutcome(String clientId, double loss, double accuracy, int examples) {
}
