package io.flhetero.model;

import org.deeplearning4j.nn.graph.ComputationGraph;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Moves a model's flat parameter vector in and out as {@code float[]} through ND4J's backing buffer, the fast
 * path: ~60 us to read and ~30 us to write MobileNetV2 (alpha 0.1), against 0.2-0.7 ms through INDArray copies.
 * The vector includes BatchNorm's running mean and variance, as Keras' get_weights() does.
 */
public final class ParameterVector {

    private ParameterVector() {
    }

    public static float[] read(ComputationGraph model) {
        float[] values = new float[(int) model.numParams()];
        readInto(model, values);
        return values;
    }

    public static void readInto(ComputationGraph model, float[] values) {
        requireLength(model, values.length);
        model.params().data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer().get(values);
    }

    public static void write(ComputationGraph model, float[] values) {
        requireLength(model, values.length);
        model.params().data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer().put(values);
    }

    /** Little-endian bytes, the wire format of parameter payloads. */
    public static byte[] toBytes(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    public static float[] fromBytes(byte[] bytes) {
        if (bytes.length % Float.BYTES != 0) {
            throw new IllegalArgumentException("parameter payload of " + bytes.length + " bytes is not whole floats");
        }
        float[] values = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    private static void requireLength(ComputationGraph model, int length) {
        if (model.numParams() != length) {
            throw new IllegalArgumentException("the model has " + model.numParams() + " parameters but the vector has "
                    + length + "; client and server must build the same model (alpha)");
        }
    }
}
