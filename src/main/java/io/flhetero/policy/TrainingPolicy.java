package io.flhetero.policy;

import io.flhetero.fl.api.RegisteredClient;

import java.util.List;

/** How a device's limits become its training settings: one class per policy, chosen in the profile. */
public interface TrainingPolicy {

    /**
     * @param fleet every client of the run, for policies that size one device against the others
     */
    TrainingPlan plan(RegisteredClient client, List<RegisteredClient> fleet);
}
