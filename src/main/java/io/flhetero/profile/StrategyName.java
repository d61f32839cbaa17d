package io.flhetero.profile;

/** How a round's updates are combined. The profile's spelling is {@link #key()}. */
public enum StrategyName {
    /** Federated averaging. */
    FEDAVG("fedavg"),
    /** Normalised averaging for unequal local work. */
    FEDNOVA("fednova"),
    /** Federated averaging with a proximal term in local training. */
    FEDPROX("fedprox"),
    /** Buffered asynchronous aggregation: no rounds, a global model version every buffer_size updates. */
    FEDBUFF("fedbuff");

    public boolean asynchronous() {
        return this == FEDBUFF;
    }

    private final String key;

    StrategyName(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
