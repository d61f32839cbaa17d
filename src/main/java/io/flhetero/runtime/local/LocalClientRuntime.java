package io.flhetero.runtime.local;

import io.flhetero.data.ClientData;
import io.flhetero.data.ImageSet;
import io.flhetero.fl.client.ClientVerticle;
import io.flhetero.fl.client.FlClient;
import io.flhetero.fl.client.NativeGarbage;
import io.flhetero.model.MobileNetV2;
import io.flhetero.model.fused.FusedNetwork;
import io.flhetero.model.fused.TrainingMemory;
import io.flhetero.profile.ClientSpec;
import io.flhetero.profile.ModelSpec;
import io.flhetero.runtime.ClientLostListener;
import io.flhetero.runtime.ClientRuntime;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Clients as verticles in this JVM: virtual clients, each its data, its device and its optimizer state, that train
 * and score on a {@link ModelPool} of one network per training thread (single-threaded ND4J: one thread per model
 * beats one model on two threads here). Device limits are simulated by {@link SimulatedDevice}: honest about time
 * and memory, but not enforced.
 */
public final class LocalClientRuntime implements ClientRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(LocalClientRuntime.class);

    private final Vertx vertx;
    private final List<ClientData> data;
    private final ModelSpec model;
    private final long seed;
    private final int threads;
    private final DeviceCalibration calibration;
    private final OptimizerStates optimizerStates;
    /** Deployment id by client id. */
    private final Map<String, String> deployments = new LinkedHashMap<>();
    private final Map<String, Supplier<ClientVerticle>> verticles = new LinkedHashMap<>();

    /** @param data each client's split, by client index */
    public LocalClientRuntime(Vertx vertx, List<ClientData> data, ModelSpec model, long seed) {
        this(vertx, data, model, seed, Runtime.getRuntime().availableProcessors());
    }

    public LocalClientRuntime(Vertx vertx, List<ClientData> data, ModelSpec model, long seed, int threads) {
        this(vertx, data, model, seed, threads, DeviceCalibration.NONE,
                Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * @param calibration what containers on this host take against the device model; NONE: uncalibrated
     * @param scratch     where optimizer states past the memory budget go (the run's directory)
     */
    public LocalClientRuntime(Vertx vertx, List<ClientData> data, ModelSpec model, long seed, int threads,
                              DeviceCalibration calibration, Path scratch) {
        this.vertx = vertx;
        this.data = data;
        this.model = model;
        this.seed = seed;
        this.threads = threads;
        this.calibration = calibration;
        this.optimizerStates = new OptimizerStates(OPTIMIZER_STATE_MEMORY, scratch);
    }

    /** Native garbage the clients of this JVM may leave before a full collection (see NativeGarbage). */
    private static final long NATIVE_GARBAGE_BYTES = 256L << 20;
    /** Optimizer states held in memory before the least recently used go to disk: 600 clients' at alpha 0.1. */
    private static final long OPTIMIZER_STATE_MEMORY = 512L << 20;

    @Override
    public synchronized void start(String runId, List<ClientSpec> clients, ClientLostListener lost) throws Exception {
        TrainingMemory memory = new TrainingMemory(MobileNetV2.of(model, 0.001, seed));
        NativeGarbage.collectAfterGrowthOf(NATIVE_GARBAGE_BYTES);
        ModelPool pool = new ModelPool(threads, () -> FusedNetwork.of(MobileNetV2.of(model, 0.001, seed)));
        Map<String, Future<String>> started = new LinkedHashMap<>();
        for (ClientSpec spec : clients) {
            ClientData split = data.get(spec.index());
            long dataBytes = ImageSet.storedBytes(split.train().size() + split.test().size());
            // A fresh optimizer and device each time, as a restarted process would have.
            verticles.put(spec.id(), () -> {
                optimizerStates.forget(spec.id());
                return new ClientVerticle(runId, spec, new FlClient(spec.id(),
                        new PooledModel(spec.id(), pool, optimizerStates), split, seed + spec.index()),
                        new SimulatedDevice(spec.device(), memory, dataBytes, calibration), threads, false);
            });
            started.put(spec.id(), vertx.deployVerticle(verticles.get(spec.id()).get()));
        }
        for (Map.Entry<String, Future<String>> f : started.entrySet()) {
            deployments.put(f.getKey(), f.getValue().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
        }
        LOG.debug("started {} in-process clients on {} networks", clients.size(), pool.size());
    }

    /** Deploys the client's verticle again; the old one undeployed itself when it ran out of memory. */
    @Override
    public synchronized boolean restart(String clientId) {
        Supplier<ClientVerticle> verticle = verticles.get(clientId);
        if (verticle == null) {
            return false;
        }
        vertx.deployVerticle(verticle.get()).onSuccess(id -> {
            synchronized (this) {
                deployments.put(clientId, id);
            }
        }).onFailure(e -> LOG.warn("could not restart {}: {}", clientId, e.toString()));
        return true;
    }

    /**
     * Undeploys the clients and waits until every one is gone. A client told to shut down undeploys itself; had
     * Vert.x been closed while that was still under way, it would have undeployed it a second time and logged
     * "Undeploy failed: Already undeployed" with a stack trace.
     */
    @Override
    public synchronized void close() {
        for (String id : deployments.values()) {
            if (!vertx.deploymentIDs().contains(id)) {
                continue;
            }
            try {
                vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("undeploy {}: {}", id, e.toString()); // already under way: waited for below
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (deployments.values().stream().anyMatch(vertx.deploymentIDs()::contains) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        deployments.clear();
        optimizerStates.close();
    }
}
