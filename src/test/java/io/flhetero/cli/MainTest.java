package io.flhetero.cli;

import io.flhetero.data.CifarDirectory;
import io.flhetero.data.SyntheticCifar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as a user meets it: exit codes and the one message that says what to fix. */
class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void validatesEveryShippedProfile() {
        assertEquals(ExitCode.OK, Main.execute("profiles", "validate"));
        assertTrue(out().contains("ok      profiles/seed.yaml"), out());
        assertFalse(out().contains("INVALID"), out());
    }

    @Test
    void aBrokenProfileIsRefusedWithFileFieldAndFix(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "devices:\n  - {name: d, cpus: 0, memory: lots, batch_size: 8, learning_rate: 0.1}\n");
        assertEquals(ExitCode.BAD_INPUT, Main.execute("profiles", "validate", broken.toString()));
        assertTrue(out().contains(broken + ": devices[0].cpus: must be greater than 0"), out());
        assertTrue(out().contains(broken + ": devices[0].memory: 'lots' is not a memory size. Fix: "), out());

        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", "--runtime", "local", "--profile", broken.toString()));
        assertTrue(err().contains("error: the profile has 2 problems"), err());
    }

    @Test
    void badUsageExitsWithTwo() {
        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", "--no-such-option"));
        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", "--runtime", "local", "--rounds", "0", "--dataset", "synthetic"));
        assertTrue(err().contains("command line: --rounds: must be at least 1"), err());
        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", "--runtime", "podman"));
        assertTrue(err().contains("--runtime must be auto, local or docker"), err());
    }

    @Test
    void aPortInUseIsRefusedAndNothingIsLeftRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int code = Main.execute("run", "--runtime", "local", "--profile", "quickstart", "--dataset", "synthetic",
                    "--synthetic-examples", "100", "--metrics-port", Integer.toString(taken.getLocalPort()),
                    "--runs-dir", Files.createTempDirectory("runs").toString());
            assertEquals(ExitCode.BAD_INPUT, code);
            assertTrue(err().contains("port " + taken.getLocalPort() + " on 127.0.0.1 is in use"), err());
            assertTrue(err().contains("--metrics-port"), err());
        }
        Thread.sleep(200);
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("vert.x-eventloop")),
                "no event loop is left running");
    }

    @Test
    void aCorruptDataFileIsNamed(@TempDir Path dir) throws Exception {
        CifarDirectory.write(dir, SyntheticCifar.generate(50, 1), SyntheticCifar.generate(10, 2));
        Path batch = dir.resolve("data_batch_3.bin");
        byte[] bytes = Files.readAllBytes(batch);
        Files.write(batch, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", "--runtime", "local", "--data-dir", dir.toString(), "--metrics-port", "0"));
        assertTrue(err().contains("data_batch_3.bin"), err());
    }

    @Test
    void everyCommandExplainsItself() {
        for (String[] command : new String[][] {{"--help"}, {"run", "--help"}, {"stop", "--help"}, {"status", "--help"},
                {"client", "--help"}, {"profiles", "validate", "--help"}, {"profiles", "show", "--help"},
                {"bench", "train", "--help"}, {"bench", "rounds", "--help"}, {"version", "--help"}}) {
            assertEquals(ExitCode.OK, Main.execute(command), String.join(" ", command));
        }
        assertTrue(out().contains("Usage: fl-hetero run"), out());
    }

    @Test
    void printsItsVersion() {
        assertEquals(ExitCode.OK, Main.execute("version"));
        assertTrue(out().startsWith("fl-hetero "), out());
    }
}
