package io.flhetero.profile;

/** How a device's limits become its training settings. The profile's spelling is {@link #key()}. */
public enum PolicyName {
    /** The profile's own batch size and learning rate per device class. */
    STATIC("static"),
    /** Batch size, learning rate and local work derived from each device's limits. */
    CAPACITY("capacity");

    private final String key;

    PolicyName(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
