package io.flhetero.model.fused;

import io.flhetero.model.MobileNetV2;

import java.util.Locale;

/**
 * How much memory a client process needs to train at a given batch size: the JVM with ND4J's natives, the fused
 * network's buffers and the client's data.
 *
 * <p>The network's part comes from its own plan ({@link FusedNetwork#plannedTrainingBytes}: every buffer it
 * allocates for a batch size, ~0.9 MB per image of batch) scaled by what the process really holds on top
 * (oneDNN's scratch space, per-step temporaries, allocator and heap slack). Measured with {@code bench train}
 * on this machine, peak RSS at batch 32, 64, 128 and 256 was 205-210, 252, 330 and 476-547 MB: 164 MB plus
 * 1.49 times the plan.
 */
public final class TrainingMemory {

    /** Resident size of a client JVM with ND4J loaded, before training buffers, measured (see class comment). */
    public static final long RUNTIME_BYTES = 170L << 20;
    /** Measured peak RSS growth over the network's planned buffers. */
    public static final double PLAN_SCALE = 1.5;

    private final FusedNetwork network;

    public TrainingMemory(MobileNetV2 model) {
        this.network = FusedNetwork.of(model);
    }

    public record Estimate(long runtimeBytes, long networkBytes, long dataBytes) {

        public long totalBytes() {
            return runtimeBytes + networkBytes + dataBytes;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d MB (runtime %d MB, network %d MB, data %d MB)", totalBytes() >> 20,
                    runtimeBytes >> 20, networkBytes >> 20, dataBytes >> 20);
        }
    }

    /** @param dataBytes bytes of training and test images the client holds */
    public Estimate estimate(int batchSize, long dataBytes) {
        long network = (long) (PLAN_SCALE * this.network.plannedTrainingBytes(batchSize));
        return new Estimate(RUNTIME_BYTES, network, dataBytes);
    }
}
