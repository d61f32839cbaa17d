package io.flhetero.model.fused;

import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * A k x k convolution without bias, TensorFlow's "same" padding, run by libnd4j's conv2d and conv2d_bp (oneDNN
 * kernels in the linux-x86_64-onednn build) on NHWC maps, with the graph's own [out, in, kH, kW] weights. MobileNetV2
 * has one, its 3x3 stem; 1x1 convolutions are {@link Pointwise}.
 */
final class Convolution extends Node {

    /** libnd4j's weight layout 1: [out, in, kH, kW]. */
    private static final int OUT_IN_KH_KW = 1;

    private final Parameters.Slot weights;
    private final int[] args;
    private FoldedBatchNorm folded;

    Convolution(String name, Node input, int channels, int kernel, int stride, Parameters.Slot weights) {
        super(name, List.of(input), ceilDiv(input.out.height, stride), ceilDiv(input.out.width, stride), channels);
        this.weights = weights;
        // kH, kW, sH, sW, pH, pW, dH, dW, same padding, NHWC, weight layout
        this.args = new int[] {kernel, kernel, stride, stride, 0, 0, 1, 1, 1, 1, OUT_IN_KH_KW};
    }

    private static int ceilDiv(int size, int stride) {
        return (size + stride - 1) / stride;
    }

    @Override
    String kind() {
        return "convolution " + args[0] + "x" + args[1] + (args[2] > 1 ? " stride " + args[2] : "");
    }

    @Override
    FoldedBatchNorm foldBatchNorm(BatchNorm batchNorm, Parameters parameters) {
        int perChannel = (int) weights.values().length() / out.channels;
        folded = new FoldedBatchNorm(batchNorm, parameters, weights, i -> i / perChannel);
        return folded;
    }

    @Override
    void forward(int batch, boolean training) {
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d");
        if (training || folded == null) {
            op.addInputs(input().out.batch(batch), weights.values()).addOutputs(out.batch(batch));
        } else {
            op.addInputs(input().out.batch(batch), folded.weights(), folded.bias())
                    .addOutputs(folded.target().batch(batch));
        }
        Nd4j.exec(op.addIntegerArguments(args).build());
    }

    @Override
    void backward(int batch) {
        Node in = input();
        Tensor sink = in.gradientSink(batch);
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp")
                .addInputs(in.out.batch(batch), weights.values(), grad.batch(batch))
                .addOutputs(sink.batch(batch), weights.gradient())
                .addIntegerArguments(args)
                .build());
        in.gradientReceived(batch);
    }
}
