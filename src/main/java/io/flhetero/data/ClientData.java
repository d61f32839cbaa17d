package io.flhetero.data;

/** One client's local data: what it trains on and what it evaluates on. */
public record ClientData(ImageSet train, ImageSet test) {}
