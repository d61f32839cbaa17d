package io.flhetero.fl.server;

import io.flhetero.fl.api.Failure;
import io.flhetero.fl.api.FailureReason;
import io.flhetero.fl.api.RegisteredClient;
import io.flhetero.fl.protocol.Addresses;
import io.flhetero.fl.protocol.Messages;
import io.flhetero.fl.protocol.WireMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Sends one request to each of many clients and collects what comes back, each answer either a result or a
 * {@link Failure}. Every request carries a timeout, so a silent client never hangs the caller, and a client known
 * to be gone (its runtime saw it die) fails its request in flight at once.
 */
public final class ClientRequests {

    private static final Logger LOG = LoggerFactory.getLogger(ClientRequests.class);

    private final Vertx vertx;
    private final String runId;
    /** How each request in flight is failed early, by client. */
    private final Map<String, Consumer<Failure>> inFlight = new ConcurrentHashMap<>();
    /** Set by {@link #failAll}: the run is stopping, and requests sent from now on fail at once. */
    private volatile Failure closed;

    public ClientRequests(Vertx vertx, String runId) {
        this.vertx = vertx;
        this.runId = runId;
    }

    /** One client's answer: exactly one of {@code result} and {@code failure} is set. */
    public record Reply<T>(String clientId, T result, Failure failure) {

        static <T> Reply<T> of(String clientId, T result) {
            return new Reply<>(clientId, result, null);
        }

        static <T> Reply<T> failed(Failure failure) {
            return new Reply<>(failure.clientId(), null, failure);
        }
    }

    /** Every answer to one fan-out, in the order the targets were given. */
    public record Replies<T>(List<T> results, List<Failure> failures) {
    }

    /**
     * Asks each target and waits for all answers.
     *
     * @param onReply hears each answer as it comes, on whichever thread completes it (the bus's, or that of the
     *                code that failed it early)
     */
    public <I, T> Replies<T> ask(List<I> targets, Function<I, RegisteredClient> client,
                                 Function<I, WireMessage> request, Function<WireMessage, T> decode,
                                 Duration timeout, Consumer<Reply<T>> onReply) {
        List<CompletableFuture<Reply<T>>> pending = new ArrayList<>();
        for (I target : targets) {
            CompletableFuture<Reply<T>> reply = send(client.apply(target), request.apply(target), decode, timeout);
            reply.thenAccept(onReply);
            pending.add(reply);
        }
        List<T> results = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (CompletableFuture<Reply<T>> p : pending) {
            Reply<T> reply = p.join();
            if (reply.failure() != null) {
                failures.add(reply.failure());
            } else {
                results.add(reply.result());
            }
        }
        return new Replies<>(results, failures);
    }

    /**
     * Sends one request with a timeout; the future completes with the client's answer or its failure, also early
     * when {@link #fail} or {@link #failAll} is called.
     */
    public <T> CompletableFuture<Reply<T>> send(RegisteredClient client, WireMessage request,
                                                Function<WireMessage, T> decode, Duration timeout) {
        String id = client.id();
        CompletableFuture<Reply<T>> reply = new CompletableFuture<>();
        Consumer<Failure> failer = failure -> reply.complete(Reply.failed(failure));
        inFlight.put(id, failer);
        Failure stopping = closed;
        if (stopping != null) { // failAll came before this request was in flight: it is not sent
            failer.accept(new Failure(id, stopping.reason(), stopping.detail()));
            return reply;
        }
        vertx.eventBus().<WireMessage>request(Addresses.client(runId, id), request,
                        new DeliveryOptions().setSendTimeout(timeout.toMillis()))
                .map(m -> Reply.of(id, decode.apply(m.body())))
                .recover(e -> Future.succeededFuture(Reply.failed(failure(id, e))))
                .onSuccess(reply::complete);
        reply.thenRun(() -> inFlight.remove(id, failer));
        return reply.thenApply(r -> {
            if (r.failure() != null) {
                LOG.warn("{} did not contribute ({}): {}", id, r.failure().reason().label(), r.failure().detail());
            }
            return r;
        });
    }

    /** Fails the client's request in flight, if any, now. */
    public void fail(String clientId, FailureReason reason, String detail) {
        Consumer<Failure> pending = inFlight.get(clientId);
        if (pending != null) {
            pending.accept(new Failure(clientId, reason, detail));
        }
    }

    /** Fails every request in flight now, and every one sent from now on. */
    public void failAll(FailureReason reason, String detail) {
        closed = new Failure("", reason, detail);
        inFlight.keySet().forEach(id -> fail(id, reason, detail));
    }

    /** Sends without waiting for an answer. */
    public void tell(String clientId, WireMessage message) {
        vertx.eventBus().send(Addresses.client(runId, clientId), message);
    }

    /** Asks each client to shut down, best effort, waiting at most a few seconds. */
    public void shutdown(List<RegisteredClient> clients) {
        List<Future<?>> acks = new ArrayList<>();
        for (RegisteredClient c : clients) {
            acks.add(vertx.eventBus().request(Addresses.client(runId, c.id()), Messages.shutdown(),
                    new DeliveryOptions().setSendTimeout(2_000)).recover(e -> Future.succeededFuture()));
        }
        ClientRegistry.await(Future.join(acks), Duration.ofSeconds(3));
    }

    private static Failure failure(String clientId, Throwable e) {
        if (e instanceof ReplyException re) {
            if (re.failureType() == ReplyFailure.TIMEOUT) {
                return new Failure(clientId, FailureReason.TIMEOUT, "no answer before the round timeout");
            }
            if (re.failureType() == ReplyFailure.NO_HANDLERS) {
                return new Failure(clientId, FailureReason.DIED, "nobody answers at its address any more");
            }
            return new Failure(clientId, FailureReason.ofCode(re.failureCode()), re.getMessage());
        }
        return new Failure(clientId, FailureReason.ERROR, e.toString());
    }
}
