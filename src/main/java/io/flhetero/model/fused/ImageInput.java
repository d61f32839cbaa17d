package io.flhetero.model.fused;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

/** The network's input: NCHW images, as DL4J takes them, transposed once into the NHWC layout every node uses. */
final class ImageInput extends Node {

    ImageInput(String name, int height, int width, int channels) {
        super(name, List.of(), height, width, channels);
    }

    void load(INDArray features) {
        long[] shape = features.shape();
        if (shape.length != 4 || shape[1] != out.channels || shape[2] != out.height || shape[3] != out.width) {
            throw new IllegalArgumentException("expected NCHW images [b, " + out.channels + ", " + out.height + ", "
                    + out.width + "], got " + Arrays.toString(shape));
        }
        INDArray floats = features.dataType() == DataType.FLOAT ? features
                : features.castTo(DataType.FLOAT);
        INDArray nchw = floats.ordering() == 'c' && floats.offset() == 0 && !floats.isView() ? floats
                : floats.dup('c');
        FloatBuffer from = nchw.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        FloatBuffer to = out.floats();
        int batch = (int) nchw.size(0);
        int h = out.height;
        int w = out.width;
        int c = out.channels;
        int plane = h * w;
        for (int n = 0; n < batch; n++) {
            int image = n * plane * c;
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < plane; p++) {
                    to.put(image + p * c + ch, from.get(image + ch * plane + p));
                }
            }
        }
    }

    @Override
    void forward(int batch, boolean training) {
    }

    @Override
    void backward(int batch) {
    }
}
