package io.flhetero.cli;

import io.flhetero.fl.api.Failure;
import io.flhetero.fl.api.FailureReason;
import io.flhetero.fl.api.FitConfig;
import io.flhetero.fl.api.RegisteredClient;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleReporterTest {

    private static RegisteredClient client(int i) {
        return new RegisteredClient("client" + i, "phone", 0.5, 1L << 30, 20, 5, 1, 1L << 28,
                FitConfig.epochs(16, 0.001, 1));
    }

    private static List<String> lines(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void aSmallRunGetsALinePerClientALargeOneALinePerTenth() {
        ByteArrayOutputStream small = new ByteArrayOutputStream();
        try (ConsoleReporter console = new ConsoleReporter(new PrintStream(small, true, StandardCharsets.UTF_8), 3,
                2, false)) {
            IntStream.rangeClosed(1, 2).forEach(i -> console.clientRegistered(client(i)));
        }
        assertEquals(2, lines(small).size());
        assertTrue(lines(small).get(1).startsWith("client client2   registered: phone"), lines(small).get(1));

        ByteArrayOutputStream large = new ByteArrayOutputStream();
        try (ConsoleReporter console = new ConsoleReporter(new PrintStream(large, true, StandardCharsets.UTF_8), 3,
                1000, false)) {
            IntStream.rangeClosed(1, 1000).forEach(i -> console.clientRegistered(client(i)));
            console.clientRegistered(client(7)); // restarted: registers again, counted once
        }
        List<String> out = lines(large);
        assertEquals(11, out.size(), String.join("\n", out));
        assertTrue(out.get(0).startsWith("1 of 1000 clients registered"), out.get(0));
        assertTrue(out.get(10).startsWith("1000 of 1000 clients registered"), out.get(10));
    }

    @Test
    void aRoundNamesItsFirstFailuresAndCountsTheRest() {
        assertEquals("0", ConsoleReporter.failed(List.of()));
        List<Failure> many = IntStream.rangeClosed(1, 8)
                .mapToObj(i -> new Failure("client" + i, FailureReason.TIMEOUT, "late")).toList();
        assertEquals("8 (client1 timeout, client2 timeout, client3 timeout, client4 timeout, client5 timeout, and 3 "
                + "more: see rounds.csv)", ConsoleReporter.failed(many));
        assertEquals("1 (client1 timeout)", ConsoleReporter.failed(many.subList(0, 1)));
    }
}
