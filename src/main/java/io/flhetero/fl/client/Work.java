package io.flhetero.fl.client;

/**
 * Work a client did on this host: batches of images (training steps, or evaluation batches), and the wall and
 * thread CPU time it took here. A device model turns it into the device's time.
 */
public record Work(int batches, int images, double wallSeconds, double cpuSeconds) {
}
