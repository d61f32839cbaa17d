package io.flhetero.fl.protocol;

import io.vertx.core.json.JsonObject;

/**
 * What travels on the event bus: a message kind, small fields as JSON and, for fit and evaluate, the model's
 * parameters as a float vector that {@link WireMessageCodec} sends as raw bytes, never as JSON numbers.
 * Parameter arrays are shared, not copied, within one JVM: nobody may write into a received vector.
 */
public record WireMessage(Kind kind, JsonObject fields, float[] parameters) {

    public enum Kind { REGISTER, FIT, FIT_RESULT, EVALUATE, EVALUATE_RESULT, PROGRESS, SHUTDOWN, CUTOFF }

    private static final float[] NONE = new float[0];

    public WireMessage {
        parameters = parameters == null ? NONE : parameters;
    }

    public static WireMessage of(Kind kind, JsonObject fields) {
        return new WireMessage(kind, fields, NONE);
    }

    public WireMessage expect(Kind expected) {
        if (kind != expected) {
            throw new IllegalStateException("expected a " + expected + " message but got " + kind);
        }
        return this;
    }
}
