package io.flhetero.policy;

import io.flhetero.fl.api.RegisteredClient;

import java.util.List;

/** The original example's approach: each device class states its batch size and learning rate. */
public final class StaticPolicy implements TrainingPolicy {

    @Override
    public TrainingPlan plan(RegisteredClient client, List<RegisteredClient> fleet) {
        return TrainingPlan.clientsOwn(client, "static: the profile's settings for device class " + client.deviceClass());
    }
}
