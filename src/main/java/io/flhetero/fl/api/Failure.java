package io.flhetero.fl.api;

/** A client that did not answer a fit or evaluate, and why. */
public record Failure(String clientId, FailureReason reason, String detail) {
}
