package io.flhetero.model.fused;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * For inference, a BatchNorm folded into the convolution before it: with the running statistics BatchNorm is an
 * affine map per channel, y = conv(x) * scale + shift, which is the convolution with weights scaled per output
 * channel and {@code shift} as its bias. The convolution then writes the BatchNorm's output directly and a whole
 * pass over every map disappears. Refreshed from the parameters before inference whenever they have changed.
 */
final class FoldedBatchNorm {

    /** Which output channel a weight belongs to, by its index in the weight array. */
    interface ChannelOf {
        int channel(int index);
    }

    final BatchNorm batchNorm;
    private final Parameters parameters;
    private final int weights;
    private final ChannelOf channelOf;
    private final INDArray foldedWeights;
    private final FloatBuffer foldedFloats;
    private final INDArray bias;
    private final FloatBuffer biasFloats;
    private final float[] scale;
    private final float[] shift;

    FoldedBatchNorm(BatchNorm batchNorm, Parameters parameters, Parameters.Slot weights, ChannelOf channelOf) {
        this.batchNorm = batchNorm;
        this.parameters = parameters;
        this.weights = weights.offset();
        this.channelOf = channelOf;
        this.foldedWeights = Nd4j.create(DataType.FLOAT, weights.values().shape(), weights.values().ordering());
        this.foldedFloats = foldedWeights.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        int channels = batchNorm.out.channels;
        this.bias = Nd4j.create(DataType.FLOAT, channels);
        this.biasFloats = bias.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        this.scale = new float[channels];
        this.shift = new float[channels];
    }

    /** Recomputes the folded weights and bias from the current parameters. */
    void refresh() {
        batchNorm.inferenceAffine(scale, shift);
        FloatBuffer values = parameters.values();
        int length = (int) foldedWeights.length();
        for (int i = 0; i < length; i++) {
            foldedFloats.put(i, values.get(weights + i) * scale[channelOf.channel(i)]);
        }
        biasFloats.put(0, shift);
    }

    INDArray weights() {
        return foldedWeights;
    }

    INDArray bias() {
        return bias;
    }

    /** Where the convolution writes: the BatchNorm's output. */
    Tensor target() {
        return batchNorm.out;
    }
}
