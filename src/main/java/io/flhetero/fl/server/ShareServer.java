package io.flhetero.fl.server;

import io.flhetero.data.ClientData;
import io.flhetero.fl.protocol.Addresses;
import io.flhetero.fl.protocol.Messages;
import io.flhetero.fl.protocol.WireMessage;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.Map;

/**
 * Hands each client that has no files of the run (a Swarm service on another host) the run's profile and its
 * share of the data, over the event bus. Request and answer are signed like every other message, so nobody without
 * the run's secret can forge a request; but the bus is plain TCP, and a member of the cluster could replay a
 * request it saw with a reply address of its own (the signature does not cover addresses): the data travel as
 * openly as the parameters do.
 */
public final class ShareServer implements AutoCloseable {

    /** A code the client reads as "no such client": its id is not one of the run's. */
    public static final int UNKNOWN_CLIENT = 404;

    private final MessageConsumer<WireMessage> consumer;

    /** @param shares each client's share by client id */
    public ShareServer(Vertx vertx, String runId, String profileYaml, Map<String, ClientData> shares) {
        consumer = vertx.eventBus().consumer(Addresses.share(runId), message -> {
            String id;
            try {
                id = Messages.shareRequest(message.body());
            } catch (IllegalStateException e) {
                message.fail(400, e.getMessage());
                return;
            }
            ClientData share = shares.get(id);
            if (share == null) {
                message.fail(UNKNOWN_CLIENT, "run " + runId + " has no client " + id);
                return;
            }
            // Copying megabytes of images is work for a worker thread, not the event loop; one share at a time, so
            // that clients starting together do not hold a copy of the data set each.
            vertx.executeBlocking(() -> Messages.share(profileYaml, share), true)
                    .onSuccess(message::reply)
                    .onFailure(e -> message.fail(500, e.toString()));
        });
    }

    @Override
    public void close() {
        consumer.unregister();
    }
}
