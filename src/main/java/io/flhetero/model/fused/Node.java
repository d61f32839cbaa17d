package io.flhetero.model.fused;

import java.util.List;

/**
 * One step of the compiled network: it reads its inputs' feature maps, writes its own, and in the backward pass
 * turns the gradient of its output into gradients of its inputs and of its parameters.
 *
 * <p>A node whose output feeds several others (a residual block's input) receives one gradient from each: the first
 * is written into its gradient buffer and the others are added to it.
 */
abstract class Node {

    final String name;
    final List<Node> inputs;
    final Tensor out;
    Tensor grad;
    private Tensor scratch;
    private int consumers;
    private int received;

    Node(String name, List<Node> inputs, int height, int width, int channels) {
        this.name = name;
        this.inputs = inputs;
        this.out = new Tensor(height, width, channels);
        this.grad = new Tensor(height, width, channels);
        for (Node input : inputs) {
            input.consumers++;
        }
    }

    Node input() {
        return inputs.get(0);
    }

    int consumers() {
        return consumers;
    }

    /** What the node does, for profiles. */
    String kind() {
        return getClass().getSimpleName();
    }

    /**
     * Offers to apply {@code batchNorm}, this node's only consumer, at inference (see {@link FoldedBatchNorm});
     * the fold if this node will, null if not.
     */
    FoldedBatchNorm foldBatchNorm(BatchNorm batchNorm, Parameters parameters) {
        return null;
    }

    abstract void forward(int batch, boolean training);

    abstract void backward(int batch);

    void reserve(int batch, boolean training) {
        out.reserve(batch);
        if (training) {
            grad.reserve(batch);
        }
    }

    void startBackward() {
        received = 0;
    }

    /** Where a consumer writes its contribution to this node's gradient; call {@link #gradientReceived} after. */
    Tensor gradientSink(int batch) {
        if (received == 0) {
            return grad;
        }
        if (scratch == null) {
            scratch = new Tensor(grad.height, grad.width, grad.channels);
        }
        scratch.reserve(batch);
        return scratch;
    }

    void gradientReceived(int batch) {
        if (received++ > 0) {
            grad.batch(batch).addi(scratch.batch(batch));
        }
    }

    /** Bytes of this node's buffers for training at {@code batch}: its map, its gradient, a sum's scratch. */
    long plannedBytes(int batch) {
        return (2L + (consumers > 1 ? 1 : 0)) * out.imageSize() * batch * Float.BYTES;
    }
}
