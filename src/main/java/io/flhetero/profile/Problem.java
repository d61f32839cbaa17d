package io.flhetero.profile;

/** One thing wrong with a profile: where, what, and how to fix it. */
public record Problem(String source, String field, String message, String fix) {

    @Override
    public String toString() {
        return source + ": " + field + ": " + message + (fix.isEmpty() ? "" : ". Fix: " + fix);
    }
}
