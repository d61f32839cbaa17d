package io.flhetero.fl.protocol;

import java.util.Locale;

/** Why a client did not contribute to a round, as reported in logs, metrics and rounds.csv. */
public enum FailureReason {
    /** It did not answer before the round's deadline. */
    TIMEOUT(false),
    /** It needed more memory than its limit and was killed (or would have been). */
    OOM(true),
    /** It is gone: its process or container ended, or nobody listens at its address any more. */
    DIED(true),
    /** It answered with an error. */
    ERROR(false),
    /** It was over-selected and finished after the clients the round kept. */
    DROPPED(false);

    private final boolean fatal;

    FailureReason(boolean fatal) {
        this.fatal = fatal;
    }

    /** Whether the client is out of the run after this failure. */
    public boolean fatal() {
        return fatal;
    }

    /** The failure code a client replies with; codes are small positive numbers. */
    public int code() {
        return 100 + ordinal();
    }

    public static FailureReason ofCode(int code) {
        int i = code - 100;
        return i >= 0 && i < values().length ? values()[i] : ERROR;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
