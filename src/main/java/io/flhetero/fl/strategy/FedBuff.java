package io.flhetero.fl.strategy;

import io.flhetero.fl.api.FitInstruction;
import io.flhetero.fl.api.RegisteredClient;
import io.flhetero.policy.TrainingPolicy;
import io.flhetero.profile.BufferSpec;
import io.flhetero.profile.StrategySpec;

import java.util.List;

/**
 * FedBuff (Nguyen et al., 2022): buffered asynchronous aggregation. Clients train continuously, each on the model
 * version it last received; the server folds every update into an {@link UpdateBuffer} and moves the global model
 * once it holds {@code buffer_size} of them. Clients' settings (the policy, OOM back-off, FedProx's mu) and
 * sampling are FedAvg's; the round's average is replaced by the buffer.
 */
public final class FedBuff extends FedAvg {

    private final BufferSpec settings;
    private final UpdateBuffer buffer;
    private long draws;

    /** @param statistics true for the model's BatchNorm running statistics, in the parameters' layout */
    public FedBuff(StrategySpec spec, long seed, TrainingPolicy policy, MemoryKills memoryKills,
                   boolean[] statistics) {
        super(spec, seed, policy, memoryKills);
        this.settings = spec.buffer();
        this.buffer = new UpdateBuffer(settings.bufferSize(), settings.stalenessWeighting(),
                settings.frequencyCorrection(), settings.maxStaleness(), settings.serverLearningRate(), statistics,
                Math.min(1.0, (double) settings.bufferSize() / settings.concurrency()));
    }

    public BufferSpec settings() {
        return settings;
    }

    public UpdateBuffer buffer() {
        return buffer;
    }

    /** Up to {@code count} of the idle clients, sampled from a seed of their own for each draw. */
    public List<RegisteredClient> pick(List<RegisteredClient> idle, int count) {
        List<RegisteredClient> sampled = sample(idle, Math.min(count, idle.size()), ++draws);
        return sampled.subList(0, Math.min(count, sampled.size()));
    }

    /**
     * One client's next piece of work on {@code global}.
     *
     * @param job a number unique to this piece of work, which the client seeds its shuffle with
     */
    public FitInstruction instruct(RegisteredClient client, int job, float[] global, List<RegisteredClient> fleet) {
        return new FitInstruction(client, job, global, configFor(client, fleet));
    }
}
