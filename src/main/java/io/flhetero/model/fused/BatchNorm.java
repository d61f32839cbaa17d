package io.flhetero.model.fused;

import org.nd4j.linalg.api.ops.impl.scalar.Relu6;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * BatchNorm over the channels of NHWC maps, optionally followed by ReLU6 in the same pass, with DL4J's semantics:
 * training normalises by the batch's mean and biased variance and moves the running statistics by
 * {@code 1 - momentum} towards them; inference uses the running statistics.
 *
 * <p>In Java ({@link ChannelLoops}): libnd4j's batchnorm_bp and relu6_bp took 2.4 and 2.6 ms on the largest map of
 * a batch of 32 (393,216 floats, 1 thread), and its small operations cost ~15 us each however small the map, which
 * is most of the network's tail. At inference the convolution before it usually applies it
 * ({@link FoldedBatchNorm}), and only ReLU6 is left.
 */
final class BatchNorm extends Node {

    private final Parameters parameters;
    private final HeapArrays arrays;
    private final int gamma;
    private final int beta;
    private final int runningMean;
    private final int runningVar;
    private final double epsilon;
    private final boolean relu6;
    private double momentum;
    private boolean folded;
    private final int period;
    // Per channel: the batch's statistics and the sums behind them.
    private final float[] mean;
    private final float[] invStd;
    private final float[] perChannel;
    private final double[] sumA;
    private final double[] sumB;
    // Repeated to one period (see ChannelLoops): the forward pass's affine map, the backward pass's coefficients.
    private final float[] scale;
    private final float[] shift;
    private final float[] gradScale;
    private final float[] inputScale;
    private final float[] offset;
    private final float[] zeros;
    private final float[] blockA;
    private final float[] blockB;

    BatchNorm(String name, Node input, Parameters parameters, HeapArrays arrays, Parameters.Slot gamma,
              Parameters.Slot beta, Parameters.Slot runningMean, Parameters.Slot runningVar, double epsilon,
              double momentum, boolean relu6) {
        super(name, List.of(input), input.out.height, input.out.width, input.out.channels);
        this.parameters = parameters;
        this.arrays = arrays;
        this.gamma = gamma.offset();
        this.beta = beta.offset();
        this.runningMean = runningMean.offset();
        this.runningVar = runningVar.offset();
        this.epsilon = epsilon;
        this.momentum = momentum;
        this.relu6 = relu6;
        int c = input.out.channels;
        this.period = ChannelLoops.period(c);
        this.mean = new float[c];
        this.invStd = new float[c];
        this.perChannel = new float[c];
        this.sumA = new double[c];
        this.sumB = new double[c];
        this.scale = new float[period];
        this.shift = new float[period];
        this.gradScale = new float[period];
        this.inputScale = new float[period];
        this.offset = new float[period];
        this.zeros = new float[period];
        this.blockA = new float[period];
        this.blockB = new float[period];
    }

    boolean appliesRelu6() {
        return relu6;
    }

    void setMomentum(double momentum) {
        this.momentum = momentum;
    }

    /** Set when the convolution before this BatchNorm applies it at inference (see {@link FoldedBatchNorm}). */
    void foldedInto() {
        this.folded = true;
    }

    /** The affine map inference applies per channel: scale = gamma / sqrt(var + eps), shift = beta - mean * scale. */
    void inferenceAffine(float[] scale, float[] shift) {
        FloatBuffer p = parameters.values();
        for (int k = 0; k < out.channels; k++) {
            scale[k] = (float) (p.get(gamma + k) / Math.sqrt(p.get(runningVar + k) + epsilon));
            shift[k] = p.get(beta + k) - p.get(runningMean + k) * scale[k];
        }
    }

    @Override
    void forward(int batch, boolean training) {
        if (!training && folded) {
            if (relu6) { // the convolution wrote the normalised map into out
                Nd4j.exec(new Relu6(out.batch(batch), out.batch(batch), 0.0));
            }
            return;
        }
        int c = out.channels;
        int rows = batch * out.height * out.width;
        int n = rows * c;
        float[] x = arrays.first(input().out.floats(), n);
        FloatBuffer p = parameters.values();
        if (training) {
            batchStatistics(x, n, rows, c, p);
        }
        for (int k = 0; k < c; k++) {
            float m = training ? mean[k] : p.get(runningMean + k);
            float s = training ? invStd[k] : (float) (1 / Math.sqrt(p.get(runningVar + k) + epsilon));
            float kScale = p.get(gamma + k) * s;
            for (int j = k; j < period; j += c) {
                scale[j] = kScale;
                shift[j] = p.get(beta + k) - m * kScale;
            }
        }
        ChannelLoops.affine(x, n, period, scale, shift, x);
        if (relu6) {
            ChannelLoops.relu6(x, n);
        }
        HeapArrays.store(x, n, out.floats());
    }

    /** The batch's mean and inverse standard deviation; moves the running statistics towards them. */
    private void batchStatistics(float[] x, int n, int rows, int c, FloatBuffer p) {
        // shift holds the running mean while the sums are taken; the forward pass then overwrites it.
        for (int k = 0; k < c; k++) {
            perChannel[k] = p.get(runningMean + k);
        }
        ChannelLoops.repeat(perChannel, c, shift, period);
        ChannelLoops.sums(x, shift, x, n, c, period, blockA, blockB, sumA, sumB);
        float keep = (float) momentum;
        for (int k = 0; k < c; k++) {
            double d = sumA[k] / rows;
            double squares = sumB[k] - perChannel[k] * sumA[k];
            float variance = (float) Math.max(0, squares / rows - d * d);
            mean[k] = (float) (perChannel[k] + d);
            invStd[k] = (float) (1 / Math.sqrt(variance + epsilon));
            p.put(runningMean + k, keep * p.get(runningMean + k) + (1 - keep) * mean[k]);
            p.put(runningVar + k, keep * p.get(runningVar + k) + (1 - keep) * variance);
        }
    }

    @Override
    void backward(int batch) {
        int c = out.channels;
        int rows = batch * out.height * out.width;
        int n = rows * c;
        float[] dy = arrays.first(grad.floats(), n);
        if (relu6) {
            ChannelLoops.relu6Mask(arrays.second(out.floats(), n), n, dy);
        }
        float[] x = arrays.third(input().out.floats(), n);
        ChannelLoops.sums(dy, zeros, x, n, c, period, blockA, blockB, sumA, sumB);
        FloatBuffer p = parameters.values();
        FloatBuffer g = parameters.gradients();
        // dx = gamma*invStd * (dy - sum(dy)/M - xhat * sum(dy*xhat)/M) with xhat = (x - mean)*invStd,
        // written as gradScale*dy + inputScale*x + offset per channel.
        for (int k = 0; k < c; k++) {
            double dBeta = sumA[k];
            double dGamma = invStd[k] * (sumB[k] - mean[k] * sumA[k]);
            g.put(beta + k, (float) dBeta);
            g.put(gamma + k, (float) dGamma);
            double a = p.get(gamma + k) * (double) invStd[k];
            double b = -a * invStd[k] * dGamma / rows;
            for (int j = k; j < period; j += c) {
                gradScale[j] = (float) a;
                inputScale[j] = (float) b;
                offset[j] = (float) (-a * dBeta / rows - b * mean[k]);
            }
        }
        ChannelLoops.combine(dy, x, n, period, gradScale, inputScale, offset, dy);
        Node in = input();
        HeapArrays.store(dy, n, in.gradientSink(batch).floats());
        in.gradientReceived(batch);
    }
}
