package io.flhetero.fl.api;

/** What one client is asked to do in a round's training step. */
public record FitInstruction(RegisteredClient client, int round, float[] parameters, FitConfig config) {
}
