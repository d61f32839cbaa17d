package io.flhetero.profile;

import java.util.List;

/**
 * A validated device mix and experiment: who trains, on what, for how long. Built only by
 * {@link ProfileReader}, so every instance has passed validation.
 *
 * @param source where it was read from, for messages ("profiles/seed.yaml" or "bundled:seed")
 */
public record Profile(String name, String description, String source, int clients, int rounds,
                      Assignment assignment, long seed, List<DeviceClass> devices, DatasetSpec dataset,
                      ModelSpec model, StrategySpec strategy) {

    public Profile {
        devices = List.copyOf(devices);
    }

    public Profile withDataset(DatasetSpec newDataset) {
        return new Profile(name, description, source, clients, rounds, assignment, seed, devices, newDataset,
                model, strategy);
    }
}
