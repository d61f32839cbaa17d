package io.flhetero.fl.client;

import io.flhetero.jvm.ProcessMemory;
import io.flhetero.profile.LinkSpec;

import java.util.Optional;

/**
 * A device with real limits (a container): its time is wall time and its memory is enforced by the kernel. Its
 * link is enforced here, by waiting out each transfer: on the host network and on loopback nothing else would slow
 * a transfer down, and the wait works the same on every engine and without privileges.
 */
final class RealDevice implements DeviceEmulation {

    private final LinkSpec link;

    RealDevice(LinkSpec link) {
        this.link = link;
    }

    @Override
    public double deviceSeconds(Work training) {
        return training.wallSeconds();
    }

    @Override
    public double evaluationSeconds(Work evaluation) {
        return evaluation.wallSeconds();
    }

    @Override
    public double warmupSeconds(boolean evaluation) {
        return 0;
    }

    @Override
    public Optional<String> memoryShortfall(int batchSize) {
        return Optional.empty();
    }

    @Override
    public long memoryBytes(int batchSize) {
        return Math.max(0, ProcessMemory.rssMb()) << 20;
    }

    @Override
    public double transfer(long bytes, boolean upload) throws InterruptedException {
        long nanos = Math.round(link.seconds(bytes, upload) * 1e9);
        if (nanos == 0) {
            return 0;
        }
        long start = System.nanoTime();
        Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        return (System.nanoTime() - start) / 1e9;
    }
}
