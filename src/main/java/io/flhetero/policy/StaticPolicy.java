package io.flhetero.policy;

import io.flhetero.fl.strategy.ClientProxy;

import java.util.List;

/** The original example's approach: each device class states its batch size and learning rate. */
public final class StaticPolicy implements TrainingPolicy {

    @Override
    public TrainingPlan plan(ClientProxy client, List<ClientProxy> fleet) {
        return TrainingPlan.clientsOwn("static: the profile's settings for device class " + client.deviceClass());
    }
}
