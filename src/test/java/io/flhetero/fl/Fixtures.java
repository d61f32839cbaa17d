package io.flhetero.fl;

import io.flhetero.data.ClientData;
import io.flhetero.data.SyntheticCifar;
import io.flhetero.profile.ClientSpec;
import io.flhetero.profile.DeviceClass;
import io.flhetero.profile.MemorySize;
import io.flhetero.profile.ModelSpec;

/** Small, fast building blocks for tests that train real models. */
public final class Fixtures {

    /** MobileNetV2 at alpha 0.1 with a BatchNorm momentum that lets a few steps show in evaluation. */
    public static final ModelSpec MODEL = new ModelSpec("mobilenetv2", 0.1, 0.9);

    private Fixtures() {
    }

    public static ClientSpec client(int index, String deviceClass, double cpus, String memory, int batch) {
        return new ClientSpec("client" + (index + 1), index,
                new DeviceClass(deviceClass, cpus, MemorySize.parse(memory), batch, 0.005, 1, 0));
    }

    public static ClientData data(int train, int test, long seed) {
        return new ClientData(SyntheticCifar.generate(train, seed), SyntheticCifar.generate(test, seed + 1000));
    }
}
