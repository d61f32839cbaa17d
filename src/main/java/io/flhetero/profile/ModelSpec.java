package io.flhetero.profile;

/** The network every client trains: MobileNetV2 with a width multiplier {@code alpha}. */
public record ModelSpec(String name, double alpha) {
}
