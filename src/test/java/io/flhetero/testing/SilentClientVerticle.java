package io.flhetero.testing;

import io.flhetero.fl.protocol.Addresses;
import io.flhetero.fl.protocol.Messages;
import io.flhetero.fl.protocol.WireMessage;
import io.flhetero.profile.ClientSpec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** A client that registers and then never answers: a hung device. */
public final class SilentClientVerticle extends VerticleBase {

    private final String runId;
    private final ClientSpec spec;

    public SilentClientVerticle(String runId, ClientSpec spec) {
        this.runId = runId;
        this.spec = spec;
    }

    @Override
    public Future<?> start() {
        return vertx.eventBus().<WireMessage>consumer(Addresses.client(runId, spec.id()), message -> { })
                .completion()
                .compose(v -> vertx.eventBus().request(Addresses.registration(runId), Messages.registration(spec, 10, 10)));
    }
}
