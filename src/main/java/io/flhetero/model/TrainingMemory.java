package io.flhetero.model;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.deeplearning4j.nn.conf.memory.NetworkMemoryReport;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.Locale;

/**
 * How much memory a client process needs to train at a given batch size: the JVM with ND4J's natives, the
 * network (from DL4J's memory report: parameters, gradients, Adam state, activations) and the client's data.
 *
 * <p>DL4J's report counts the arrays it plans, not what the process holds: on this machine the peak RSS of a
 * training JVM grew by 4.3 MB per image of batch against the report's 1.26 MB (oneDNN buffers, gradient
 * copies, allocator slack), and started at ~350 MB. Both figures are applied, so the estimate tracks the peak
 * RSS that {@code bench train} measures.
 */
public final class TrainingMemory {

    /** Resident size of a client JVM with ND4J loaded before training, measured (see class comment). */
    public static final long RUNTIME_BYTES = 350L << 20;
    /** Measured peak RSS growth over DL4J's reported training memory. */
    public static final double REPORT_SCALE = 3.4;

    private final NetworkMemoryReport report;

    public TrainingMemory(ComputationGraphConfiguration configuration) {
        this.report = configuration.getMemoryReport(
                InputType.convolutional(MobileNetV2.HEIGHT, MobileNetV2.WIDTH, MobileNetV2.CHANNELS));
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
        long network = (long) (REPORT_SCALE * report.getTotalMemoryBytes(batchSize, MemoryUseMode.TRAINING,
                CacheMode.NONE, DataType.FLOAT));
        return new Estimate(RUNTIME_BYTES, network, dataBytes);
    }
}
