package io.flhetero.profile;

/** How client containers are networked. The profile's spelling is {@link #key()}. */
public enum NetworkMode {
    /** The host's own network, everything on 127.0.0.1. */
    HOST("host"),
    /** A network of the run's own, as compose makes. */
    BRIDGE("bridge");

    private final String key;

    NetworkMode(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
