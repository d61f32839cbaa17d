package io.flhetero.fl.client;

import io.flhetero.fl.protocol.Addresses;
import io.flhetero.fl.protocol.Messages;
import io.flhetero.fl.protocol.WireMessage;
import io.flhetero.fl.protocol.WireMessageCodec;
import io.flhetero.model.MobileNetV2;
import io.flhetero.model.fused.FusedNetwork;
import io.flhetero.profile.LinkSpec;
import io.flhetero.testing.Fixtures;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client whose server is gone stops by itself, instead of waiting for a shutdown that will not come. */
class ClientVerticleTest {

    @Test
    void aClientStopsOnceNobodyAnswersAtItsServersAddress() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            WireMessageCodec.register(vertx.eventBus());
            MessageConsumer<WireMessage> registration = vertx.eventBus().consumer(Addresses.registration("r"),
                    m -> m.reply(Messages.ack()));
            MessageConsumer<WireMessage> alive = vertx.eventBus().consumer(Addresses.alive("r"),
                    m -> m.reply(Messages.ack()));
            FlClient client = new FlClient("client1",
                    ClientModel.own(FusedNetwork.of(MobileNetV2.of(Fixtures.MODEL, 0.005, 3))), Fixtures.data(32, 8, 1),
                    3);
            String deployment = vertx.deployVerticle(new ClientVerticle("r", Fixtures.client(0, "d", 1, "1g", 16),
                    client, DeviceEmulation.real(LinkSpec.UNLIMITED), 1, true)).toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            Thread.sleep(ClientVerticle.ALIVE_CHECK_MILLIS + 1_000);
            assertTrue(vertx.deploymentIDs().contains(deployment), "its server answered: it stays");

            registration.unregister();
            alive.unregister(); // the server is gone
            long deadline = System.currentTimeMillis()
                    + ClientVerticle.ALIVE_CHECK_MILLIS * (ClientVerticle.ALIVE_MISSES + 2);
            while (vertx.deploymentIDs().contains(deployment) && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(0, vertx.deploymentIDs().size(), "it stopped after " + ClientVerticle.ALIVE_MISSES
                    + " checks found nobody");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
