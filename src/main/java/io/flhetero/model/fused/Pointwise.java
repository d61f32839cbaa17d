package io.flhetero.model.fused;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * A 1x1 convolution without bias, which on NHWC maps is a matrix product: the batch's pixels [M, in] times the
 * weights [out, in] transposed. Run as three BLAS calls (forward, input gradient, weight gradient) on views of the
 * buffers, it is 2-7x faster than libnd4j's conv2d_bp for the shapes of MobileNetV2 (1.4 ms against 0.3 ms for a
 * batch of 256 at 1x1, 32 -> 1280 channels; 10.4 ms against 2.2 ms at 16x16, 8 -> 48).
 */
final class Pointwise extends Node {

    private final Parameters.Slot weights;
    private final INDArray matrix;
    private final INDArray gradientMatrix;
    private FoldedBatchNorm folded;

    Pointwise(String name, Node input, int channels, Parameters.Slot weights) {
        super(name, List.of(input), input.out.height, input.out.width, channels);
        this.weights = weights;
        this.matrix = weights.values().reshape(channels, input.out.channels);
        this.gradientMatrix = weights.gradient().reshape(channels, input.out.channels);
    }

    @Override
    String kind() {
        return "convolution 1x1";
    }

    private static INDArray pixels(Tensor tensor, int batch) {
        return tensor.batch(batch).reshape((long) batch * tensor.height * tensor.width, tensor.channels);
    }

    @Override
    FoldedBatchNorm foldBatchNorm(BatchNorm batchNorm, Parameters parameters) {
        int inputs = input().out.channels;
        folded = new FoldedBatchNorm(batchNorm, parameters, weights, i -> i / inputs);
        return folded;
    }

    @Override
    void forward(int batch, boolean training) {
        if (training || folded == null) {
            Nd4j.gemm(pixels(input().out, batch), matrix, pixels(out, batch), false, true, 1.0, 0.0);
            return;
        }
        // oneDNN's convolution adds the bias in the same pass, where a product and a broadcast add take two.
        Nd4j.exec(DynamicCustomOp.builder("conv2d")
                .addInputs(input().out.batch(batch), folded.weights(), folded.bias())
                .addOutputs(folded.target().batch(batch))
                .addIntegerArguments(1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1) // 1x1, same, NHWC, [out, in, 1, 1]
                .build());
    }

    @Override
    void backward(int batch) {
        Node in = input();
        INDArray dy = pixels(grad, batch);
        Nd4j.gemm(dy, pixels(in.out, batch), gradientMatrix, true, false, 1.0, 0.0);
        Nd4j.gemm(dy, matrix, pixels(in.gradientSink(batch), batch), false, false, 1.0, 0.0);
        in.gradientReceived(batch);
    }
}
