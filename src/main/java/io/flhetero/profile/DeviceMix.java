package io.flhetero.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Turns a profile's device classes into one {@link ClientSpec} per client. */
public final class DeviceMix {

    private DeviceMix() {
    }

    public static List<ClientSpec> clients(Profile profile) {
        List<DeviceClass> devices = profile.devices();
        List<ClientSpec> clients = new ArrayList<>(profile.clients());
        switch (profile.assignment()) {
            case ROUND_ROBIN -> {
                for (int i = 0; i < profile.clients(); i++) {
                    clients.add(spec(i, devices.get(i % devices.size())));
                }
            }
            case RANDOM -> {
                Random random = new Random(profile.seed());
                for (int i = 0; i < profile.clients(); i++) {
                    clients.add(spec(i, devices.get(random.nextInt(devices.size()))));
                }
            }
            case COUNTED -> {
                for (DeviceClass device : devices) {
                    for (int n = 0; n < device.count(); n++) {
                        clients.add(spec(clients.size(), device));
                    }
                }
            }
        }
        return List.copyOf(clients);
    }

    private static ClientSpec spec(int index, DeviceClass device) {
        return new ClientSpec("client" + (index + 1), index, device);
    }
}
