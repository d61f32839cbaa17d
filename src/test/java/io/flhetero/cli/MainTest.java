package io.flhetero.cli;

import io.flhetero.data.CifarDirectory;
import io.flhetero.data.IdxWriter;
import io.flhetero.data.SyntheticCifar;
import io.flhetero.testing.StandardStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as a user meets it: exit codes and the one message that says what to fix. */
class MainTest {

    @RegisterExtension
    final StandardStreams streams = new StandardStreams();

    private String out() {
        return streams.out();
    }

    private String err() {
        return streams.err();
    }

    @Test
    void validatesEveryShippedProfile() {
        assertEquals(ExitCode.OK, Main.execute("profiles", "validate"));
        assertTrue(out().contains("ok      profiles/seed.yaml"), out());
        assertFalse(out().contains("INVALID"), out());
    }

    @Test
    void benchHeteroComparesEveryApproachOnTheStragglerMixEndToEnd(@TempDir Path dir) {
        int code = Main.execute("bench", "hetero", "--rounds", "2", "--data-percentage", "0.05", "--dataset",
                "synthetic", "--synthetic-examples", "2000", "--target", "0.01", "--runs-dir", dir.toString());
        assertEquals(ExitCode.OK, code, out() + err());
        for (String row : new String[] {"| (a) static settings, wait for all | ", "| (b) capacity policy, wait for all | ",
                "| (c) capacity + deadline p50*1.5, partial work | ", "| (d) (c) + FedNova | ",
                "| (e) (c) + FedProx mu 0.01 | ", "| (f) (b) + FedBuff, a version every half of the clients' updates | "}) {
            assertTrue(out().contains(row), "a row for " + row + " in\n" + out());
        }
        assertTrue(out().contains("s (round 1) | 1.00x |"), "the baseline reaches a 1% target in round 1:\n" + out());
        assertTrue(out().matches("(?s).*\\| \\d+\\.\\d s \\| \\d+\\.\\d s \\| \\d+ ?% \\|.*"),
                "busy, idle and idle share:\n" + out());
        assertEquals(6, dir.toFile().listFiles(File::isDirectory).length, "one run directory per approach");
        assertTrue(Files.exists(dir.resolve("bench-hetero-e.yaml")), "next to the profile each approach ran");
    }

    @Test
    void benchHeteroRefusesAnUnknownApproach() {
        assertEquals(ExitCode.BAD_INPUT, Main.execute("bench", "hetero", "--approaches", "a,z"));
        assertTrue(err().contains("'z' is not one of a, b, c, d, e"), err());
    }

    @Test
    void benchCalibrateRefusesNoRepeatsOrJudgesBeforeStartingAnything() {
        assertEquals(ExitCode.BAD_INPUT, Main.execute("bench", "calibrate", "--repeats", "0"));
        assertTrue(err().contains("--repeats must be 1 or more, got 0"), err());
        assertEquals(ExitCode.BAD_INPUT, Main.execute("bench", "calibrate", "--judge", "0"));
        assertTrue(err().contains("--judge must be 1 or more, got 0"), err());
    }

    @Test
    void aBrokenProfileIsRefusedWithFileFieldAndFix(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "devices:\n  - {name: d, cpus: 0, memory: lots, batch_size: 8, learning_rate: 0.1}\n");
        assertEquals(ExitCode.BAD_INPUT, Main.execute("profiles", "validate", broken.toString()));
        assertTrue(out().contains(broken + ": devices[0].cpus: must be at least 0.01"), out());
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
        assertTrue(err().contains("--runtime must be auto, local, docker, swarm or external"), err());
        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", "--runtime", "local", "--registry", "127.0.0.1:5000"));
        assertTrue(err().contains("--registry is for --runtime swarm; add --runtime swarm or drop it"), err());
        assertEquals(ExitCode.BAD_INPUT, Main.execute("client", "--launch", "client.json", "--client-id", "client1",
                "--cpus", "1", "--memory", "1g"));
        assertTrue(err().contains("give either --profile FILE (with the data in --data-dir) or --from-server"), err());
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
        // Vert.x was closed; its event-loop threads end shortly after. Wait for them to end, not for a fixed time.
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("vert.x-eventloop")) {
                t.join(10_000);
                assertFalse(t.isAlive(), "no event loop is left running: " + t.getName());
            }
        }
    }

    @Test
    void aCorruptDataFileIsNamed(@TempDir Path dir) throws Exception {
        CifarDirectory.write(dir, SyntheticCifar.generate(50, 1), SyntheticCifar.generate(10, 2));
        Path batch = dir.resolve("data_batch_3.bin");
        byte[] bytes = Files.readAllBytes(batch);
        Files.write(batch, Arrays.copyOf(bytes, bytes.length - 100));
        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", "--runtime", "local", "--data-dir", dir.toString(), "--metrics-port", "0"));
        assertTrue(err().contains("data_batch_3.bin"), err());
    }

    @Test
    void anUnwritableRunsDirOrAMissingDataDirIsRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", "--runtime", "local", "--profile", "quickstart",
                "--dataset", "synthetic", "--metrics-port", "0", "--runs-dir", file.resolve("runs").toString()));
        assertTrue(err().contains("--runs-dir " + file.resolve("runs") + " cannot be created"), err());
        assertFalse(out().contains("dataset:"), "refused before the data set is read:\n" + out());

        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", "--runtime", "local", "--profile", "quickstart",
                "--data-dir", dir.resolve("missing").toString(), "--metrics-port", "0", "--runs-dir",
                dir.resolve("runs").toString()));
        assertTrue(err().contains("--data-dir " + dir.resolve("missing") + " does not exist"), err());
        assertFalse(err().contains("download it again"), err());
        assertFalse(err().contains("\tat io.flhetero"), "no stack trace without -v:\n" + err());
    }

    @Test
    void aMetricsHostThatIsNotThisMachineIsRefusedUpFront(@TempDir Path dir) throws Exception {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of a real machine, and nothing is sent to it.
        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", "--runtime", "local", "--dataset", "synthetic",
                "--metrics-host", "192.0.2.1", "--runs-dir", dir.resolve("runs").toString()));
        assertTrue(err().contains("--metrics-host 192.0.2.1 is not an address of this machine"), err());
        assertFalse(err().contains("in use"), err());
        try (Stream<Path> runs = Files.list(dir.resolve("runs"))) {
            assertEquals(0, runs.count(), "no run was started");
        }
    }

    @Test
    void dashVAfterTheSubcommandShowsTheTraceToo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", "--runtime", "local", "--dataset", "synthetic",
                "--metrics-port", "0", "--runs-dir", file.resolve("runs").toString(), "-v"));
        assertTrue(err().contains("\tat io.flhetero"), "the stack trace with -v:\n" + err());
    }

    @Test
    void theFinalLineNamesTheDataSetTrainedOnAndTheIdFileTheRun(@TempDir Path dir) throws Exception {
        IdxWriter.directory(dir.resolve("fashion-mnist"), IdxWriter.images(40, 1), IdxWriter.images(10, 2), true);

        assertEquals(ExitCode.OK, Main.execute("run", "--runtime", "local", "--profile", "quickstart", "--rounds", "1",
                "--dataset", "fashion-mnist", "--data-dir", dir.resolve("fashion-mnist").toString(),
                "--metrics-port", "0", "--runs-dir", dir.resolve("runs").toString(),
                "--id-file", dir.resolve("run.id").toString()));
        assertTrue(out().matches("(?s).*\\Rfinal accuracy \\S+, loss \\S+ on Fashion-MNIST\\R.*"), out());
        assertFalse(out().contains("CIFAR-10"), out());
        String id = Files.readString(dir.resolve("run.id")).trim();
        assertTrue(Files.exists(dir.resolve("runs").resolve(id).resolve("summary.json")), "the id names the run: " + id);
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
