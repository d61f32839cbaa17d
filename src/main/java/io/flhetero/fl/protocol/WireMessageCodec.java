package io.flhetero.fl.protocol;

import io.flhetero.model.ParameterVector;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * Binary codec for {@link WireMessage}: kind, JSON fields, then the parameters as little-endian floats
 * (424,488 bytes for MobileNetV2 at alpha 0.1), then the data bytes (empty but for a data share), then an
 * HMAC-SHA256 of all of it under the run's secret. The
 * clustered bus has no member authentication, so any local process could join a run's cluster; without the
 * secret (in client.json, readable by its owner only; it never travels on the bus) it can neither forge nor
 * alter a message: one that fails the check is refused, never decoded. It could still replay a signed message it
 * received, or take messages meant for a client address: the MAC holds no address or sequence number. Within one
 * JVM the message is passed as is.
 */
public final class WireMessageCodec implements MessageCodec<WireMessage, WireMessage> {

    public static final String NAME = "fl-hetero-wire";
    private static final String MAC = "HmacSHA256";
    private static final int MAC_BYTES = 32;

    private final byte[] secret;

    /** @param secret the run's secret; empty for a bus that never leaves this JVM (nothing is signed) */
    public WireMessageCodec(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** Registers the codec as the default for WireMessage; each JVM on the bus must do this once. */
    public static void register(EventBus bus, String secret) {
        bus.registerDefaultCodec(WireMessage.class, new WireMessageCodec(secret));
    }

    /** For a bus within this JVM. */
    public static void register(EventBus bus) {
        register(bus, "");
    }

    @Override
    public void encodeToWire(Buffer buffer, WireMessage message) {
        int start = buffer.length();
        byte[] fields = message.fields().encode().getBytes(StandardCharsets.UTF_8);
        byte[] params = ParameterVector.toBytes(message.parameters());
        buffer.appendInt(message.kind().code())
                .appendInt(fields.length).appendBytes(fields)
                .appendInt(params.length).appendBytes(params)
                .appendInt(message.data().length).appendBytes(message.data());
        if (secret.length > 0) {
            buffer.appendBytes(mac(buffer, start, buffer.length()));
        }
    }

    @Override
    public WireMessage decodeFromWire(int pos, Buffer buffer) {
        int fieldsLength = buffer.getInt(pos + 4);
        int at = pos + 8 + fieldsLength;
        int paramsLength = buffer.getInt(at);
        int dataAt = at + 4 + paramsLength;
        int end = dataAt + 4 + buffer.getInt(dataAt);
        if (secret.length > 0 && !MessageDigest.isEqual(mac(buffer, pos, end),
                buffer.getBytes(end, end + MAC_BYTES))) {
            throw new SecurityException("a message on the run's event bus is not signed with the run's secret: "
                    + "refused (a process that is not part of the run joined its cluster)");
        }
        WireMessage.Kind kind = WireMessage.Kind.ofCode(buffer.getInt(pos));
        String fields = buffer.getString(pos + 8, pos + 8 + fieldsLength, "UTF-8");
        float[] params = ParameterVector.fromBytes(buffer.getBytes(at + 4, dataAt));
        return new WireMessage(kind, new JsonObject(fields), params, buffer.getBytes(dataAt + 4, end));
    }

    private byte[] mac(Buffer buffer, int from, int to) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(new SecretKeySpec(secret, MAC));
            mac.update(buffer.getBytes(from, to));
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime: " + e, e);
        }
    }

    @Override
    public WireMessage transform(WireMessage message) {
        return message;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
