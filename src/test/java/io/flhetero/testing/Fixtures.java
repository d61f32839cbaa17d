package io.flhetero.testing;

import io.flhetero.data.ClientData;
import io.flhetero.data.SyntheticCifar;
import io.flhetero.fl.api.FitConfig;
import io.flhetero.fl.api.RegisteredClient;
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

    /** A registered client whose device class states batch 32, learning rate 0.001 and one local epoch. */
    public static RegisteredClient registered(String id, double cpus, long memoryBytes, int train, int test) {
        return new RegisteredClient(id, "d", cpus, memoryBytes, train, test, 1, memoryBytes / 4,
                FitConfig.epochs(32, 0.001, 1));
    }

    public static ClientData data(int train, int test, long seed) {
        return new ClientData(SyntheticCifar.generate(train, seed), SyntheticCifar.generate(test, seed + 1000));
    }
}
