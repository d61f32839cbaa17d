package io.flhetero.model.fused;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * A batch of NHWC feature maps in one native buffer that lives as long as the network: allocated for the largest
 * batch seen and reused by every step, so the maps leave no native garbage behind (the classifier's small per-step
 * arrays do). A smaller batch uses the buffer's first images (a contiguous prefix, so a view).
 */
final class Tensor {

    final int height;
    final int width;
    final int channels;
    private INDArray buffer;
    private FloatBuffer floats;
    private int viewBatch = -1;
    private INDArray view;

    Tensor(int height, int width, int channels) {
        this.height = height;
        this.width = width;
        this.channels = channels;
    }

    /** Floats per image. */
    int imageSize() {
        return height * width * channels;
    }

    /** Makes room for {@code batch} images; the contents are undefined after growing. */
    void reserve(int batch) {
        if (buffer == null || buffer.size(0) < batch) {
            buffer = Nd4j.create(DataType.FLOAT, batch, height, width, channels);
            floats = buffer.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
            viewBatch = -1;
        }
    }

    /** The first {@code batch} images as an NHWC array for ND4J's operations. */
    INDArray batch(int batch) {
        if (batch != viewBatch) {
            view = batch == buffer.size(0) ? buffer : buffer.get(NDArrayIndex.interval(0, batch),
                    NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
            viewBatch = batch;
        }
        return view;
    }

    /** The whole buffer for loops in Java: image {@code n}, pixel (y, x), channel c is at ((n*H + y)*W + x)*C + c. */
    FloatBuffer floats() {
        return floats;
    }
}
