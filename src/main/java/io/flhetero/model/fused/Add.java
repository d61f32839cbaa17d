package io.flhetero.model.fused;

import java.nio.FloatBuffer;
import java.util.List;

/** A residual connection: the sum of two maps of the same shape; its gradient flows to both unchanged. */
final class Add extends Node {

    Add(String name, Node left, Node right) {
        super(name, List.of(left, right), left.out.height, left.out.width, left.out.channels);
        if (left.out.imageSize() != right.out.imageSize() || left.out.channels != right.out.channels) {
            throw new IllegalArgumentException(name + " adds maps of different shapes");
        }
    }

    @Override
    void forward(int batch, boolean training) {
        FloatBuffer a = inputs.get(0).out.floats();
        FloatBuffer b = inputs.get(1).out.floats();
        FloatBuffer y = out.floats();
        int n = batch * out.imageSize();
        for (int i = 0; i < n; i++) {
            y.put(i, a.get(i) + b.get(i));
        }
    }

    @Override
    void backward(int batch) {
        int n = batch * out.imageSize();
        FloatBuffer dy = grad.floats();
        for (Node in : inputs) {
            FloatBuffer dx = in.gradientSink(batch).floats();
            for (int i = 0; i < n; i++) {
                dx.put(i, dy.get(i));
            }
            in.gradientReceived(batch);
        }
    }
}
