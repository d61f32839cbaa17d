package io.flhetero.profile;

/**
 * One client of a run: its id ("client1" ... as the original named its containers), its position and the
 * device class it emulates.
 */
public record ClientSpec(String id, int index, DeviceClass device) {
}
