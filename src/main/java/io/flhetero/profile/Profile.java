package io.flhetero.profile;

import java.util.List;

/**
 * A validated device mix and experiment: who trains, on what, for how long. Built only by
 * {@link ProfileReader}, so every instance has passed validation.
 *
 * @param source where it was read from, for messages ("profiles/seed.yaml" or "bundled:seed")
 */
public record Profile(String name, String description, String source, int clients, int rounds,
                      Assignment assignment, long seed, PolicyName policy, List<DeviceClass> devices, DatasetSpec dataset,
                      ModelSpec model, StrategySpec strategy, NetworkMode network) {

    public Profile {
        devices = List.copyOf(devices);
    }

    public Profile withDataset(DatasetSpec newDataset) {
        return new Profile(name, description, source, clients, rounds, assignment, seed, policy, devices, newDataset,
                model, strategy, network);
    }

    public Profile withRounds(int newRounds) {
        return new Profile(name, description, source, clients, newRounds, assignment, seed, policy, devices, dataset,
                model, strategy, network);
    }

    public Profile withPolicy(PolicyName newPolicy) {
        return new Profile(name, description, source, clients, rounds, assignment, seed, newPolicy, devices, dataset,
                model, strategy, network);
    }

    public Profile withDevices(List<DeviceClass> newDevices) {
        return new Profile(name, description, source, clients, rounds, assignment, seed, policy, newDevices, dataset,
                model, strategy, network);
    }

    public Profile withStrategy(StrategySpec newStrategy) {
        return new Profile(name, description, source, clients, rounds, assignment, seed, policy, devices, dataset,
                model, newStrategy, network);
    }
}
