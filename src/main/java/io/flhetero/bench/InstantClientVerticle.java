package io.flhetero.bench;

import io.flhetero.fl.api.EvaluateOutcome;
import io.flhetero.fl.api.FitOutcome;
import io.flhetero.fl.protocol.Addresses;
import io.flhetero.fl.protocol.Messages;
import io.flhetero.fl.protocol.WireMessage;
import io.flhetero.profile.ClientSpec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * A client that answers at once: fit returns a fresh copy of the parameters, evaluate fixed figures. A round
 * with only such clients costs exactly the coordinator's own work: messages, transfer and aggregation.
 */
final class InstantClientVerticle extends VerticleBase {

    private final String runId;
    private final ClientSpec spec;

    InstantClientVerticle(String runId, ClientSpec spec) {
        this.runId = runId;
        this.spec = spec;
    }

    @Override
    public Future<?> start() {
        return vertx.eventBus().<WireMessage>consumer(Addresses.client(runId, spec.id()), message -> {
            WireMessage body = message.body();
            switch (body.kind()) {
                case FIT -> message.reply(Messages.fitResult(new FitOutcome(spec.id(), body.parameters().clone(), 100,
                        1.0, 0.5, 0, 0, 32, 4)));
                case EVALUATE -> message.reply(Messages.evaluateResult(new EvaluateOutcome(spec.id(), 1.0, 0.5, 25)));
                default -> message.reply(Messages.ack());
            }
        }).completion().compose(v -> vertx.eventBus().request(Addresses.registration(runId),
                Messages.registration(spec, 100, 25)));
    }
}
