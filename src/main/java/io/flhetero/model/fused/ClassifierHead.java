package io.flhetero.model.fused;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Global average pooling, a dense layer and softmax with cross-entropy, as DL4J's GlobalPoolingLayer(AVG) and
 * OutputLayer(MCXENT, SOFTMAX): the loss is the batch's mean, so the gradients are those of the mean.
 */
final class ClassifierHead extends Node {

    /** DL4J's LossMCXENT clips probabilities to this before the log. */
    private static final double CLIP = 1e-10;

    private final Parameters.Slot weights;
    private final Parameters.Slot bias;
    private final int classes;
    private INDArray pooled;
    private INDArray logits;
    private float[] probabilities;
    private int[] labels;

    ClassifierHead(String name, Node input, Parameters.Slot weights, Parameters.Slot bias, int classes) {
        super(name, List.of(input), 1, 1, classes);
        this.weights = weights;
        this.bias = bias;
        this.classes = classes;
    }

    void labels(INDArray oneHot) {
        int batch = (int) oneHot.size(0);
        float[] values = oneHot.dup('c').data().asFloat();
        labels = new int[batch];
        for (int n = 0; n < batch; n++) {
            for (int k = 1; k < classes; k++) {
                if (values[n * classes + k] > values[n * classes + labels[n]]) {
                    labels[n] = k;
                }
            }
        }
    }

    @Override
    void reserve(int batch, boolean training) {
        int features = input().out.channels;
        if (pooled == null || pooled.size(0) < batch) {
            pooled = Nd4j.create(DataType.FLOAT, batch, features);
        }
    }

    @Override
    long plannedBytes(int batch) {
        return (long) batch * input().out.channels * Float.BYTES;
    }

    private INDArray pooled(int batch) {
        return batch == pooled.size(0) ? pooled : pooled.get(NDArrayIndex.interval(0, batch), NDArrayIndex.all());
    }

    @Override
    void forward(int batch, boolean training) {
        Tensor in = input().out;
        int c = in.channels;
        int plane = in.height * in.width;
        FloatBuffer x = in.floats();
        FloatBuffer p = pooled.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int n = 0; n < batch; n++) {
            for (int k = 0; k < c; k++) {
                float sum = 0;
                for (int s = 0; s < plane; s++) {
                    sum += x.get((n * plane + s) * c + k);
                }
                p.put(n * c + k, sum / plane);
            }
        }
        logits = pooled(batch).mmul(weights.values()).addiRowVector(bias.values());
        float[] z = logits.data().asFloat();
        probabilities = new float[batch * classes];
        for (int n = 0; n < batch; n++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                max = Math.max(max, z[n * classes + k]);
            }
            double total = 0;
            for (int k = 0; k < classes; k++) {
                total += Math.exp(z[n * classes + k] - max);
            }
            for (int k = 0; k < classes; k++) {
                probabilities[n * classes + k] = (float) (Math.exp(z[n * classes + k] - max) / total);
            }
        }
    }

    /** Softmax outputs of the last forward pass, [batch, classes]. */
    INDArray probabilities(int batch) {
        return Nd4j.create(probabilities, new long[] {batch, classes});
    }

    /** How many examples of the last forward pass have their label as the most probable class. */
    int correct(int batch) {
        int correct = 0;
        for (int n = 0; n < batch; n++) {
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (probabilities[n * classes + k] > probabilities[n * classes + best]) {
                    best = k;
                }
            }
            correct += best == labels[n] ? 1 : 0;
        }
        return correct;
    }

    /** Mean cross-entropy of the last forward pass against the labels. */
    double loss(int batch) {
        double loss = 0;
        for (int n = 0; n < batch; n++) {
            loss -= Math.log(Math.min(1 - CLIP, Math.max(CLIP, probabilities[n * classes + labels[n]])));
        }
        return loss / batch;
    }

    @Override
    void backward(int batch) {
        float[] dz = new float[batch * classes];
        for (int n = 0; n < batch; n++) {
            for (int k = 0; k < classes; k++) {
                dz[n * classes + k] = (probabilities[n * classes + k] - (labels[n] == k ? 1f : 0f)) / batch;
            }
        }
        INDArray dLogits = Nd4j.create(dz, new long[] {batch, classes});
        INDArray features = pooled(batch);
        weights.gradient().assign(features.transpose().mmul(dLogits));
        bias.gradient().assign(dLogits.sum(0).reshape(bias.gradient().shape()));
        float[] dPooled = dLogits.mmul(weights.values().transpose()).data().asFloat();
        Node node = input();
        Tensor in = node.out;
        int c = in.channels;
        int plane = in.height * in.width;
        FloatBuffer dx = node.gradientSink(batch).floats();
        for (int n = 0; n < batch; n++) {
            for (int s = 0; s < plane; s++) {
                for (int k = 0; k < c; k++) {
                    dx.put((n * plane + s) * c + k, dPooled[n * c + k] / plane);
                }
            }
        }
        node.gradientReceived(batch);
    }
}
