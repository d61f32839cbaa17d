package io.flhetero.fl.protocol;

import io.flhetero.model.ParameterVector;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/**
 * Binary codec for {@link WireMessage}: kind, JSON fields, then the parameters as little-endian floats
 * (424,488 bytes for MobileNetV2 at alpha 0.1). Within one JVM the message is passed as is.
 */
public final class WireMessageCodec implements MessageCodec<WireMessage, WireMessage> {

    public static final String NAME = "fl-hetero-wire";

    /** Registers the codec as the default for WireMessage; each JVM on the bus must do this once. */
    public static void register(EventBus bus) {
        bus.registerDefaultCodec(WireMessage.class, new WireMessageCodec());
    }

    @Override
    public void encodeToWire(Buffer buffer, WireMessage message) {
        byte[] fields = message.fields().encode().getBytes(StandardCharsets.UTF_8);
        byte[] params = ParameterVector.toBytes(message.parameters());
        buffer.appendInt(message.kind().code())
                .appendInt(fields.length).appendBytes(fields)
                .appendInt(params.length).appendBytes(params);
    }

    @Override
    public WireMessage decodeFromWire(int pos, Buffer buffer) {
        WireMessage.Kind kind = WireMessage.Kind.ofCode(buffer.getInt(pos));
        int fieldsLength = buffer.getInt(pos + 4);
        String fields = buffer.getString(pos + 8, pos + 8 + fieldsLength, "UTF-8");
        int at = pos + 8 + fieldsLength;
        int paramsLength = buffer.getInt(at);
        float[] params = ParameterVector.fromBytes(buffer.getBytes(at + 4, at + 4 + paramsLength));
        return new WireMessage(kind, new JsonObject(fields), params);
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
