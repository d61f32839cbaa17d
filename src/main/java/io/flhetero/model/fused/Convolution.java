package io.flhetero.model.fused;

import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * A convolution without bias, TensorFlow's "same" padding, run by libnd4j's own conv2d / depthwise_conv2d
 * operations (oneDNN kernels in the linux-x86_64-onednn build) on NHWC maps. The weights are the graph's own
 * views: [out, in, kH, kW] for a convolution, [kH, kW, in, 1] for a depthwise one.
 */
final class Convolution extends Node {

    /** libnd4j's weight layouts: 0 = [kH, kW, in, out], 1 = [out, in, kH, kW]. */
    private static final int KH_KW_IN_OUT = 0;
    private static final int OUT_IN_KH_KW = 1;

    private final String forwardOp;
    private final String backwardOp;
    private final Parameters.Slot weights;
    private final int[] args;

    private Convolution(String name, Node input, int channels, int kernel, int stride, boolean depthwise,
                        Parameters.Slot weights) {
        super(name, List.of(input), ceilDiv(input.out.height, stride), ceilDiv(input.out.width, stride), channels);
        this.forwardOp = depthwise ? "depthwise_conv2d" : "conv2d";
        this.backwardOp = forwardOp + "_bp";
        this.weights = weights;
        // kH, kW, sH, sW, pH, pW, dH, dW, same padding, NHWC, weight layout
        this.args = new int[] {kernel, kernel, stride, stride, 0, 0, 1, 1, 1, 1, depthwise ? KH_KW_IN_OUT : OUT_IN_KH_KW};
    }

    static Convolution regular(String name, Node input, int channels, int kernel, int stride, Parameters.Slot weights) {
        return new Convolution(name, input, channels, kernel, stride, false, weights);
    }

    static Convolution depthwise(String name, Node input, int kernel, int stride, Parameters.Slot weights) {
        return new Convolution(name, input, input.out.channels, kernel, stride, true, weights);
    }

    private static int ceilDiv(int size, int stride) {
        return (size + stride - 1) / stride;
    }

    @Override
    String kind() {
        return (forwardOp.startsWith("depthwise") ? "depthwise " : "convolution ") + args[0] + "x" + args[1]
                + (args[2] > 1 ? " stride " + args[2] : "");
    }

    @Override
    void forward(int batch, boolean training) {
        Nd4j.exec(DynamicCustomOp.builder(forwardOp)
                .addInputs(input().out.batch(batch), weights.values())
                .addOutputs(out.batch(batch))
                .addIntegerArguments(args)
                .build());
    }

    @Override
    void backward(int batch) {
        Node in = input();
        Tensor sink = in.gradientSink(batch);
        Nd4j.exec(DynamicCustomOp.builder(backwardOp)
                .addInputs(in.out.batch(batch), weights.values(), grad.batch(batch))
                .addOutputs(sink.batch(batch), weights.gradient())
                .addIntegerArguments(args)
                .build());
        in.gradientReceived(batch);
    }
}
