package io.flhetero.profile;

/** How clients are given device classes, as the original compose generator did. */
public enum Assignment {
    ROUND_ROBIN("round-robin"),
    RANDOM("random"),
    /** Each device class names its own {@code count}. */
    COUNTED("counted");

    private final String key;

    Assignment(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
