package io.flhetero.fl.client;

import io.flhetero.fl.api.EvaluateOutcome;
import io.flhetero.fl.api.FailureReason;
import io.flhetero.fl.api.FitConfig;
import io.flhetero.fl.api.FitOutcome;
import io.flhetero.fl.protocol.Addresses;
import io.flhetero.fl.protocol.Messages;
import io.flhetero.fl.protocol.WireMessage;
import io.flhetero.profile.ClientSpec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Puts an {@link FlClient} on the event bus: it registers with the server, then answers fit and evaluate
 * requests at its own address. Training runs on a shared worker pool (one task per client at a time, in
 * order), so the event loop never blocks.
 */
public final class ClientVerticle extends VerticleBase {

    /** Worker pool shared by every client in this JVM; its size caps how many train at once. */
    public static final String TRAINING_POOL = "fl-hetero-training";
    private static final Logger LOG = LoggerFactory.getLogger(ClientVerticle.class);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long PROGRESS_INTERVAL_NANOS = 500_000_000L;
    private static final long REGISTRATION_WAIT_NANOS = 60_000_000_000L;
    private static final long REGISTRATION_RETRY_MILLIS = 200;
    /** How often a registered client asks whether its server is still there. */
    static final long ALIVE_CHECK_MILLIS = 5_000;
    /** Checks in a row that found nobody at the server's address before the client stops. */
    static final int ALIVE_MISSES = 3;

    private final String runId;
    private final ClientSpec spec;
    private final FlClient client;
    private final DeviceEmulation device;
    private final int trainingThreads;
    /** Whether it checks that its server is still there: a client in a process of its own does. */
    private final boolean watchServer;
    private WorkerExecutor training;
    private MessageConsumer<WireMessage> inbox;
    /** The round being trained and the device time at which the server asked it to stop (infinite: never). */
    private volatile Messages.Cutoff cutoff = new Messages.Cutoff(0, Double.POSITIVE_INFINITY);
    /** The batch size it last trained with, which bounds its evaluation batches. */
    private volatile int batchSize;

    /**
     * @param watchServer whether to stop once its server is gone: for a client in a process of its own, not for one
     *                    in the server's process, which goes with it
     */
    public ClientVerticle(String runId, ClientSpec spec, FlClient client, DeviceEmulation device, int trainingThreads,
                          boolean watchServer) {
        this.runId = runId;
        this.spec = spec;
        this.client = client;
        this.device = device;
        this.trainingThreads = trainingThreads;
        this.watchServer = watchServer;
        this.batchSize = spec.device().batchSize();
    }

    @Override
    public Future<?> start() {
        training = vertx.createSharedWorkerExecutor(TRAINING_POOL, trainingThreads, 24, TimeUnit.HOURS);
        inbox = vertx.eventBus().consumer(Addresses.client(runId, spec.id()), this::handle);
        return inbox.completion().compose(v -> register(System.nanoTime() + REGISTRATION_WAIT_NANOS))
                .onSuccess(registered -> {
                    if (watchServer) {
                        stopWhenServerGone();
                    }
                });
    }

    /**
     * A client whose server is gone (killed, its machine lost) stops by itself instead of waiting for a shutdown
     * that will not come: nobody answering at the server's address three times in a row means it is gone. A slow
     * answer is not an absence.
     */
    private void stopWhenServerGone() {
        int[] misses = {0};
        vertx.setPeriodic(ALIVE_CHECK_MILLIS, timer -> vertx.eventBus().request(Addresses.alive(runId), Messages.ack(),
                        new DeliveryOptions().setSendTimeout(ALIVE_CHECK_MILLIS))
                .onSuccess(reply -> misses[0] = 0)
                .onFailure(e -> {
                    if (e instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS
                            && ++misses[0] >= ALIVE_MISSES) {
                        LOG.warn("{}: the server of run {} is gone; stopping", spec.id(), runId);
                        vertx.cancelTimer(timer);
                        vertx.undeploy(deploymentID());
                    }
                }));
    }

    /**
     * Registers with the server. A client that joined while the server was still starting finds no one at the
     * registration address yet (NO_HANDLERS) and asks again shortly, up to a minute.
     */
    private Future<Message<Object>> register(long giveUpAt) {
        return vertx.eventBus().request(Addresses.registration(runId),
                        Messages.registration(spec, client.data().train().size(), client.data().test().size()))
                .recover(e -> {
                    if (!(e instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS)
                            || System.nanoTime() - giveUpAt > 0) {
                        return Future.failedFuture(e);
                    }
                    return vertx.timer(REGISTRATION_RETRY_MILLIS).compose(t -> register(giveUpAt));
                });
    }

    @Override
    public Future<?> stop() {
        client.stop();
        return inbox == null ? Future.succeededFuture() : inbox.unregister();
    }

    private void handle(Message<WireMessage> message) {
        WireMessage body = message.body();
        switch (body.kind()) {
            case FIT -> fit(message, body);
            case EVALUATE -> training.executeBlocking(() -> evaluate(body.parameters()), true)
                    .onSuccess(outcome -> message.reply(Messages.evaluateResult(outcome)))
                    .onFailure(e -> fail(message, FailureReason.ERROR, e));
            case CUTOFF -> {
                Messages.Cutoff c = Messages.cutoff(body);
                if (c.round() == cutoff.round()) {
                    cutoff = c;
                }
            }
            case STATE -> training.executeBlocking(client::optimizerState, true)
                    .onSuccess(state -> message.reply(Messages.stateResult(spec.id(), state)))
                    .onFailure(e -> fail(message, FailureReason.ERROR, e));
            case RESTORE -> training.executeBlocking(() -> {
                        client.restoreOptimizerState(Messages.restored(body));
                        return Messages.ack();
                    }, true)
                    .onSuccess(message::reply)
                    .onFailure(e -> fail(message, FailureReason.ERROR, e));
            case SHUTDOWN -> {
                message.reply(Messages.ack());
                vertx.undeploy(deploymentID());
            }
            default -> message.fail(FailureReason.ERROR.code(), "a client does not take " + body.kind() + " messages");
        }
    }

    /** Receives the model and scores it on the test split, at the device's pace (the answer is a few bytes). */
    private EvaluateOutcome evaluate(float[] global) throws InterruptedException {
        double transfer = device.transfer((long) global.length * Float.BYTES, false);
        long wallStart = System.nanoTime();
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        EvaluateOutcome outcome = client.evaluate(global, batchSize);
        int evaluationBatch = FlClient.evaluationBatch(batchSize);
        Work done = new Work((outcome.examples() + evaluationBatch - 1) / evaluationBatch, outcome.examples(),
                (System.nanoTime() - wallStart) / 1e9, (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9);
        return outcome.withTime(device.warmupSeconds(true) + device.evaluationSeconds(done) + transfer, transfer);
    }

    private void fit(Message<WireMessage> message, WireMessage body) {
        int round = Messages.fitRound(body);
        FitConfig config = Messages.fitConfig(body);
        batchSize = config.batchSize();
        Optional<String> shortfall = device.memoryShortfall(config.batchSize());
        if (shortfall.isPresent()) {
            // What the kernel's OOM killer would do to a container: the client is gone for good.
            LOG.warn("{} is out of memory in round {}: {}", spec.id(), round, shortfall.get());
            message.fail(FailureReason.OOM.code(), shortfall.get());
            vertx.undeploy(deploymentID());
            return;
        }
        long[] lastProgress = {0};
        TrainingProgress progress = (done, total) -> {
            long now = System.nanoTime();
            if (done == total || now - lastProgress[0] > PROGRESS_INTERVAL_NANOS) {
                lastProgress[0] = now;
                vertx.eventBus().send(Addresses.progress(runId), Messages.progress(spec.id(), round, done, total));
            }
        };
        cutoff = new Messages.Cutoff(round, Double.POSITIVE_INFINITY);
        double deadlineSeconds = config.deadlineSeconds() > 0 ? config.deadlineSeconds() : Double.POSITIVE_INFINITY;
        double warmup = device.warmupSeconds(false);
        long payload = (long) body.parameters().length * Float.BYTES;
        double upload = spec.device().link().seconds(payload, true);
        training.executeBlocking(() -> {
                    // Receiving the model, training, sending the update back: each at the device's pace. A deadline
                    // or cut-off counts all of it, the upload still to come included.
                    double transfer = device.transfer(payload, false);
                    double fixed = warmup + transfer + upload;
                    StopCondition deadline = done -> fixed + device.deviceSeconds(done)
                            >= Math.min(deadlineSeconds, cutoff.seconds());
                    LocalTraining t = client.fit(round, body.parameters(), config, deadline, progress);
                    transfer += device.transfer(payload, true);
                    double deviceSeconds = warmup + device.deviceSeconds(new Work(t.steps(), t.examples(),
                            t.wallSeconds(), t.cpuSeconds())) + transfer;
                    return new FitOutcome(spec.id(), t.parameters(), t.examples(), t.loss(), t.accuracy(),
                            t.wallSeconds(), deviceSeconds, t.batchSize(), t.steps(), device.memoryBytes(t.batchSize()),
                            t.plannedSteps(), client.data().train().size(), transfer);
                }, true)
                .onSuccess(outcome -> message.reply(Messages.fitResult(outcome)))
                .onFailure(e -> fail(message, e instanceof OutOfMemoryError ? FailureReason.OOM : FailureReason.ERROR, e));
    }

    private void fail(Message<WireMessage> message, FailureReason reason, Throwable e) {
        LOG.warn("{} failed: {}", spec.id(), e.toString(), e);
        message.fail(reason.code(), e.toString());
    }
}
