package io.flhetero.fl.api;

/** How far a client is in its round's training: {@code done} of {@code total} batches. */
public record FitProgress(String clientId, int round, int done, int total) {
}
