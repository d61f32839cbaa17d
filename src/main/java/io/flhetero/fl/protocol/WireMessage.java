package io.flhetero.fl.protocol;

import io.vertx.core.json.JsonObject;

/**
 * What travels on the event bus: a message kind, small fields as JSON and, for fit and evaluate, the model's
 * parameters as a float vector that {@link WireMessageCodec} sends as raw bytes, never as JSON numbers; a data
 * share travels as raw bytes too. Arrays are shared, not copied, within one JVM: nobody may write into a
 * received one.
 */
public record WireMessage(Kind kind, JsonObject fields, float[] parameters, byte[] data) {

    /** The kinds, each with its code on the wire: written out, so that reordering the enum cannot change the protocol. */
    public enum Kind {
        REGISTER(0), FIT(1), FIT_RESULT(2), EVALUATE(3), EVALUATE_RESULT(4), PROGRESS(5), SHUTDOWN(6), CUTOFF(7), STATE(8),
        STATE_RESULT(9), RESTORE(10), SHARE(11), SHARE_RESULT(12);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static Kind ofCode(int code) {
            for (Kind kind : values()) {
                if (kind.code == code) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("message kind " + code + " is not one this version knows; client and "
                    + "server must run the same fl-hetero");
        }
    }

    private static final float[] NONE = new float[0];
    private static final byte[] NO_DATA = new byte[0];

    public WireMessage {
        parameters = parameters == null ? NONE : parameters;
        data = data == null ? NO_DATA : data;
    }

    public WireMessage(Kind kind, JsonObject fields, float[] parameters) {
        this(kind, fields, parameters, NO_DATA);
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
