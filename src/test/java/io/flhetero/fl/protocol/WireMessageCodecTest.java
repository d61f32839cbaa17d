package io.flhetero.fl.protocol;

import io.flhetero.data.ClientData;
import io.flhetero.data.ImageSet;
import io.flhetero.fl.api.EvaluateOutcome;
import io.flhetero.fl.api.FailureReason;
import io.flhetero.fl.api.FitOutcome;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WireMessageCodecTest {

    private final WireMessageCodec codec = new WireMessageCodec("the run's secret");

    private WireMessage overTheWire(WireMessage message) {
        Buffer buffer = Buffer.buffer();
        buffer.appendString("prefix");
        codec.encodeToWire(buffer, message);
        return codec.decodeFromWire("prefix".length(), buffer);
    }

    @Test
    void carriesParametersAsBinary() {
        float[] params = new float[106_122];
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) Math.sin(i);
        }
        FitOutcome sent = new FitOutcome("client1", params, 640, 1.5, 0.25, 3.2, 6.4, 64, 10, 0, 12, 1_000, 0.75);
        Buffer buffer = Buffer.buffer();
        codec.encodeToWire(buffer, Messages.fitResult(sent));
        assertTrue(buffer.length() < params.length * 4 + 1_000, "floats travel as 4 bytes each, not as JSON text");

        FitOutcome received = Messages.fitResult(overTheWire(Messages.fitResult(sent)));
        assertArrayEquals(params, received.parameters());
        assertEquals(sent.examples(), received.examples());
        assertEquals(1_000, received.dataExamples());
        assertEquals(12, received.plannedSteps());
        assertEquals(sent.simulatedSeconds(), received.simulatedSeconds());
        assertEquals(0.75, received.transferSeconds(), "the link's share of it");
    }

    @Test
    void aDataShareTravelsAsRawBytesWithTheProfileAndIsSignedToo() {
        byte[] pixels = new byte[5 * ImageSet.PIXELS];
        byte[] labels = {0, 1, 2, 3, 9};
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 31);
        }
        ImageSet train = ImageSet.of(pixels, labels);
        ImageSet test = ImageSet.of(java.util.Arrays.copyOf(pixels, ImageSet.PIXELS), new byte[] {7});
        WireMessage sent = Messages.share("rounds: 2\n", new ClientData(train, test));
        Buffer buffer = Buffer.buffer();
        codec.encodeToWire(buffer, sent);
        assertTrue(buffer.length() < 6 * (ImageSet.PIXELS + 1) + 1_000, "images travel as bytes, not as JSON text");

        WireMessage received = overTheWire(sent);
        assertEquals("rounds: 2\n", Messages.shareProfile(received));
        ClientData data = Messages.shareData(received);
        assertArrayEquals(pixels, data.train().pixelBytes());
        assertArrayEquals(labels, data.train().labelBytes());
        assertEquals(1, data.test().size());
        assertEquals(7, data.test().label(0));
        assertEquals(0, Messages.shareData(overTheWire(Messages.share("", new ClientData(train, ImageSet.empty()))))
                .test().size(), "an empty test part stays empty");

        buffer.setByte(buffer.length() - 40, (byte) (buffer.getByte(buffer.length() - 40) + 1));
        assertThrows(SecurityException.class, () -> codec.decodeFromWire(0, buffer), "the share is under the MAC");
        assertEquals("client7", Messages.shareRequest(overTheWire(Messages.shareRequest("client7"))));
    }

    @Test
    void anEvaluationCarriesItsDeviceTime() {
        EvaluateOutcome sent = new EvaluateOutcome("client3", 0.5, 0.9, 10, 1.25, 0.25);
        assertEquals(sent, Messages.evaluateResult(overTheWire(Messages.evaluateResult(sent))));
    }

    @Test
    void wireCodesAreFixedNotTheEnumsOrder() {
        int[] kinds = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        WireMessage.Kind[] expected = {WireMessage.Kind.REGISTER, WireMessage.Kind.FIT, WireMessage.Kind.FIT_RESULT,
                WireMessage.Kind.EVALUATE, WireMessage.Kind.EVALUATE_RESULT, WireMessage.Kind.PROGRESS,
                WireMessage.Kind.SHUTDOWN, WireMessage.Kind.CUTOFF, WireMessage.Kind.STATE,
                WireMessage.Kind.STATE_RESULT, WireMessage.Kind.RESTORE, WireMessage.Kind.SHARE,
                WireMessage.Kind.SHARE_RESULT};
        for (int i = 0; i < kinds.length; i++) {
            assertEquals(kinds[i], expected[i].code());
            assertEquals(expected[i], WireMessage.Kind.ofCode(kinds[i]));
        }
        assertEquals(101, FailureReason.OOM.code());
        assertEquals(FailureReason.DROPPED, FailureReason.ofCode(104));
        assertEquals(FailureReason.ERROR, FailureReason.ofCode(999), "an unknown failure code is an error");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WireMessage.Kind.ofCode(42));
        assertTrue(e.getMessage().contains("same fl-hetero"), e.getMessage());
    }

    @Test
    void aMessageNotSignedWithTheRunsSecretOrAlteredIsRefused() {
        WireMessage fit = Messages.evaluateResult(new EvaluateOutcome("client1", 0.5, 0.9, 10));
        Buffer forged = Buffer.buffer();
        new WireMessageCodec("another secret").encodeToWire(forged, fit);
        SecurityException e = assertThrows(SecurityException.class, () -> codec.decodeFromWire(0, forged));
        assertTrue(e.getMessage().contains("not signed with the run's secret"), e.getMessage());

        Buffer altered = Buffer.buffer();
        codec.encodeToWire(altered, fit);
        assertEquals(0.9, Messages.evaluateResult(codec.decodeFromWire(0, altered)).accuracy());
        int accuracyDigit = altered.toString(StandardCharsets.ISO_8859_1).indexOf("0.9") + 2;
        altered.setByte(accuracyDigit, (byte) '1');
        assertThrows(SecurityException.class, () -> codec.decodeFromWire(0, altered), "one byte changed");
    }

    @Test
    void aMissingNumberComesBackAsNaN() {
        EvaluateOutcome sent = new EvaluateOutcome("client2", Double.NaN, Double.NaN, 0);
        EvaluateOutcome received = Messages.evaluateResult(overTheWire(Messages.evaluateResult(sent)));
        assertTrue(Double.isNaN(received.loss()));
        assertEquals("client2", received.clientId());
    }
}
