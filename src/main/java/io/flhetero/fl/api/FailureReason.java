package io.flhetero.fl.api;

import java.util.Locale;

/** Why a client did not contribute to a round, as reported in logs, metrics and rounds.csv. */
public enum FailureReason {
    /** It did not answer before the round's deadline. */
    TIMEOUT(100, false),
    /** It needed more memory than its limit and was killed (or would have been). */
    OOM(101, true),
    /** It is gone: its process or container ended, or nobody listens at its address any more. */
    DIED(102, true),
    /** It answered with an error. */
    ERROR(103, false),
    /** It was over-selected and finished after the clients the round kept. */
    DROPPED(104, false),
    /** Its update was based on a model version older than an asynchronous run's max_staleness. */
    STALE(105, false),
    /** Its device went offline (churn) before it finished; its work is lost. */
    OFFLINE(106, false);

    /** Written out, so that reordering the enum cannot change what a client's failure code means. */
    private final int code;
    private final boolean fatal;

    FailureReason(int code, boolean fatal) {
        this.code = code;
        this.fatal = fatal;
    }

    /** Whether the client is out of the run after this failure. */
    public boolean fatal() {
        return fatal;
    }

    /** The failure code a client replies with; codes are small positive numbers. */
    public int code() {
        return code;
    }

    /** The reason a code stands for; an unknown code is an error. */
    public static FailureReason ofCode(int code) {
        for (FailureReason reason : values()) {
            if (reason.code == code) {
                return reason;
            }
        }
        return ERROR;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
