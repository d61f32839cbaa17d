package io.flhetero.model.fused;

import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * A depthwise convolution (one k x k filter per channel, no bias, TensorFlow's "same" padding) on NHWC maps: the
 * forward pass is libnd4j's depthwise_conv2d (oneDNN), the backward pass is Java, where libnd4j's
 * depthwise_conv2d_bp took 16-20 % of a training step and this takes less than half of that (docs/BENCHMARKS.md).
 * Each filter tap is a shifted multiply-add of whole image rows: with stride 1 the pixels of a row and their
 * channels are one contiguous run of W*C floats in the input as in the output, so the inner loop is long and
 * vectorises (the tap's weights repeated along the row). Stride 2 walks the pixels and vectorises over channels.
 *
 * <p>Weights are DL4J's [kH, kW, C, 1] (c order): tap (ky, kx) of channel c is at (ky*k + kx)*C + c.
 */
final class Depthwise extends Node {

    /** Rows summed in float before a weight-gradient sum is carried over in double. */
    private static final int ROWS_PER_BLOCK = 64;

    private final Parameters parameters;
    private final HeapArrays arrays;
    private final int weights;
    private final Parameters.Slot slot;
    private final int kernel;
    private final int stride;
    private final int padTop;
    private final int padLeft;
    /** Tap t's weights repeated along an output row (stride 1): taps[t][x*C + c] = w[t][c]. */
    private final float[][] taps;
    private final float[][] tapGradient;
    private final double[] weightGradient;
    private FoldedBatchNorm folded;

    Depthwise(String name, Node input, Parameters parameters, HeapArrays arrays, int kernel, int stride,
              Parameters.Slot weights) {
        super(name, List.of(input), ceilDiv(input.out.height, stride), ceilDiv(input.out.width, stride),
                input.out.channels);
        this.parameters = parameters;
        this.arrays = arrays;
        this.weights = weights.offset();
        this.slot = weights;
        this.kernel = kernel;
        this.stride = stride;
        this.padTop = samePadding(input.out.height, out.height, kernel, stride);
        this.padLeft = samePadding(input.out.width, out.width, kernel, stride);
        int rowLength = stride == 1 ? out.width * out.channels : out.channels;
        this.taps = new float[kernel * kernel][rowLength];
        this.tapGradient = new float[kernel * kernel][rowLength];
        this.weightGradient = new double[kernel * kernel * out.channels];
    }

    private static int ceilDiv(int size, int stride) {
        return (size + stride - 1) / stride;
    }

    /** TensorFlow's "same": the total padding, its smaller half before. */
    private static int samePadding(int in, int out, int kernel, int stride) {
        return Math.max((out - 1) * stride + kernel - in, 0) / 2;
    }

    @Override
    String kind() {
        return "depthwise " + kernel + "x" + kernel + (stride > 1 ? " stride " + stride : "");
    }

    private void loadTaps() {
        FloatBuffer p = parameters.values();
        int c = out.channels;
        for (int t = 0; t < taps.length; t++) {
            float[] row = taps[t];
            for (int j = 0; j < row.length; j++) {
                row[j] = p.get(weights + t * c + j % c);
            }
        }
    }

    @Override
    FoldedBatchNorm foldBatchNorm(BatchNorm batchNorm, Parameters parameters) {
        int channels = out.channels;
        folded = new FoldedBatchNorm(batchNorm, parameters, slot, i -> i % channels);
        return folded;
    }

    @Override
    void forward(int batch, boolean training) {
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("depthwise_conv2d");
        if (training || folded == null) {
            op.addInputs(input().out.batch(batch), slot.values()).addOutputs(out.batch(batch));
        } else {
            op.addInputs(input().out.batch(batch), folded.weights(), folded.bias())
                    .addOutputs(folded.target().batch(batch));
        }
        // kH, kW, sH, sW, pH, pW, dH, dW, same padding, NHWC, weights [kH, kW, C, 1]
        Nd4j.exec(op.addIntegerArguments(kernel, kernel, stride, stride, 0, 0, 1, 1, 1, 1, 0).build());
    }

    @Override
    void backward(int batch) {
        Node node = input();
        Tensor in = node.out;
        float[] dy = arrays.first(grad.floats(), batch * out.imageSize());
        float[] x = arrays.second(in.floats(), batch * in.imageSize());
        float[] dx = arrays.zeroed(batch * in.imageSize());
        loadTaps();
        Arrays.fill(weightGradient, 0);
        for (float[] g : tapGradient) {
            Arrays.fill(g, 0f);
        }
        int rows = 0;
        for (int n = 0; n < batch; n++) {
            for (int oy = 0; oy < out.height; oy++) {
                for (int ky = 0; ky < kernel; ky++) {
                    int iy = oy * stride + ky - padTop;
                    if (iy < 0 || iy >= in.height) {
                        continue;
                    }
                    int outRow = (n * out.height + oy) * out.width * out.channels;
                    int inRow = (n * in.height + iy) * in.width * in.channels;
                    for (int kx = 0; kx < kernel; kx++) {
                        tap(x, inRow, dy, outRow, ky * kernel + kx, kx, Direction.INPUT_GRADIENT);
                        tap(dx, inRow, dy, outRow, ky * kernel + kx, kx, Direction.BACKWARD_DATA);
                    }
                }
                if (++rows % ROWS_PER_BLOCK == 0) {
                    carryWeightGradient();
                }
            }
        }
        carryWeightGradient();
        FloatBuffer g = parameters.gradients();
        for (int i = 0; i < weightGradient.length; i++) {
            g.put(weights + i, (float) weightGradient[i]);
        }
        HeapArrays.store(dx, batch * in.imageSize(), node.gradientSink(batch).floats());
        node.gradientReceived(batch);
    }

    private void carryWeightGradient() {
        int c = out.channels;
        for (int t = 0; t < tapGradient.length; t++) {
            float[] g = tapGradient[t];
            for (int j = 0; j < g.length; j++) {
                weightGradient[t * c + j % c] += g[j];
                g[j] = 0f;
            }
        }
    }

    private enum Direction {
        /** dx[in] += dy[out] * w */
        BACKWARD_DATA,
        /** dw += dy[out] * x[in], per position of the row */
        INPUT_GRADIENT
    }

    /**
     * One filter tap over one output row: pairs each output pixel of the row with its input pixel in row
     * {@code inRow} shifted by kx, and applies {@code direction} to the pairs whose input pixel lies inside;
     * {@code input} and {@code output} are the input- and output-shaped arrays of that direction.
     */
    private void tap(float[] input, int inRow, float[] output, int outRow, int t, int kx, Direction direction) {
        int c = out.channels;
        int inWidth = input().out.width;
        float[] w = taps[t];
        float[] dw = tapGradient[t];
        if (stride == 1) {
            int first = Math.max(0, padLeft - kx);
            int last = Math.min(out.width, inWidth + padLeft - kx);
            if (first >= last) {
                return;
            }
            int from = first * c;
            int to = last * c;
            int shift = inRow + (kx - padLeft) * c;
            switch (direction) {
                case BACKWARD_DATA -> {
                    for (int j = from; j < to; j++) {
                        input[shift + j] += output[outRow + j] * w[j];
                    }
                }
                case INPUT_GRADIENT -> {
                    for (int j = from; j < to; j++) {
                        dw[j] += output[outRow + j] * input[shift + j];
                    }
                }
            }
            return;
        }
        for (int ox = 0; ox < out.width; ox++) {
            int ix = ox * stride + kx - padLeft;
            if (ix < 0 || ix >= inWidth) {
                continue;
            }
            int o = outRow + ox * c;
            int i = inRow + ix * c;
            switch (direction) {
                case BACKWARD_DATA -> {
                    for (int k = 0; k < c; k++) {
                        input[i + k] += output[o + k] * w[k];
                    }
                }
                case INPUT_GRADIENT -> {
                    for (int k = 0; k < c; k++) {
                        dw[k] += output[o + k] * input[i + k];
                    }
                }
            }
        }
    }
}
