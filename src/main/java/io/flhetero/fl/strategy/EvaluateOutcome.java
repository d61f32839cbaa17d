package io.flhetero.fl.strategy;

/** A client's evaluation of the global model on its own test split. */
public record EvaluateOutcome(String clientId, double loss, double accuracy, int examples) {
}
