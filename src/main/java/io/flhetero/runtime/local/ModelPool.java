package io.flhetero.runtime.local;

import io.flhetero.model.Network;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;

/**
 * The few networks that all in-process clients train and score on, one per training thread: a client is its data,
 * its device and its optimizer state, and borrows a network for each fit or evaluation. Memory then follows the
 * number of threads, not of clients, and a run of a thousand clients builds two networks, not a thousand.
 */
final class ModelPool {

    private final BlockingQueue<Network> idle;
    private final int size;
    private final int parameters;

    /** @param size how many networks: as many as clients can train at once */
    ModelPool(int size, Supplier<Network> factory) {
        this.size = size;
        this.idle = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            idle.add(factory.get());
        }
        this.parameters = (int) idle.element().graph().numParams();
    }

    int size() {
        return size;
    }

    /** How many parameters each network has. */
    int parameters() {
        return parameters;
    }

    /** A network of the pool for one fit or evaluation; waits while every one is lent. */
    Network borrow() {
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a network of the pool", e);
        }
    }

    void giveBack(Network network) {
        idle.add(network);
    }
}
