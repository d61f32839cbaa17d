package io.flhetero.runtime.docker;

import io.flhetero.profile.ClientSpec;
import io.flhetero.profile.DeviceMix;
import io.flhetero.profile.Profile;
import io.flhetero.profile.ProfileCatalog;
import io.flhetero.profile.ProfileOverrides;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Limit checks against a host's capacity, without an engine. */
class LimitCheckTest {

    private static final HostCapacity TWO_CPUS = new HostCapacity(2, 24L << 30);

    private static List<ClientSpec> seed() {
        return DeviceMix.clients(new ProfileCatalog(Path.of("profiles")).find("seed").parse(ProfileOverrides.NONE));
    }

    @Test
    void theOriginalsFourCpuDevicesDoNotFitTwoCpus() {
        LimitCheck.LimitException e = assertThrows(LimitCheck.LimitException.class,
                () -> LimitCheck.check(seed(), TWO_CPUS, false));
        assertTrue(e.getMessage().contains("client1 (c4-3g): cpus 4 is more than the engine's 2 CPUs"), e.getMessage());
        assertTrue(e.getMessage().contains("client3 (c3-4g): cpus 3"), e.getMessage());
        assertTrue(e.getMessage().contains("--fit-to-host"), e.getMessage());
    }

    @Test
    void fitToHostScalesTheMixSoThatItsDevicesDoNotContend() {
        LimitCheck.Result result = LimitCheck.check(seed(), TWO_CPUS, true);
        List<Double> cpus = result.clients().stream().map(c -> c.device().cpus()).toList();
        assertEquals(List.of(0.68, 0.17, 0.51, 0.42), cpus, "4, 1, 3 and 2.5 CPUs scaled by 1.8 / 10.5, rounded down: "
                + "in the profile's ratio, adding up to 90 % of 2 CPUs");
        assertTrue(cpus.stream().mapToDouble(Double::doubleValue).sum() <= 0.9 * 2);
        assertEquals(3L << 30, result.clients().get(0).device().memory().bytes(), "18 GB of memory fit 24 GB: unchanged");
        assertTrue(result.warnings().stream().anyMatch(w -> w.contains("scaled by 0.171 (they add up to 1.8 of the "
                + "host's 2 CPUs)")), result.warnings().toString());
        assertTrue(result.warnings().stream().noneMatch(w -> w.contains("slow each other down")),
                result.warnings().toString());
    }

    @Test
    void anInProcessRunIsFittedAsItsContainersWouldBe() {
        Profile seed = new ProfileCatalog(Path.of("profiles")).find("seed").parse(ProfileOverrides.NONE);
        List<String> warnings = new ArrayList<>();
        Profile fitted = LimitCheck.fitted(seed, TWO_CPUS, warnings);
        assertEquals(LimitCheck.check(seed(), TWO_CPUS, true).clients().stream().map(c -> c.device().cpus()).toList(),
                DeviceMix.clients(fitted).stream().map(c -> c.device().cpus()).toList());
        assertEquals(1, warnings.size(), warnings.toString());
        assertEquals(seed, LimitCheck.fitted(seed, new HostCapacity(64, 256L << 30), new ArrayList<>()),
                "a mix that fits is left as it is");
    }

    @Test
    void memoryBelowWhatAJvmNeedsOrAboveTheHostIsRefused() {
        List<ClientSpec> clients = seed();
        HostCapacity small = new HostCapacity(8, 8L << 30);
        LimitCheck.LimitException e = assertThrows(LimitCheck.LimitException.class,
                () -> LimitCheck.check(clients, small, false));
        assertTrue(e.getMessage().contains("memory limits add up to 18432 MB, more than the host's 8192 MB"), e.getMessage());
        List<ClientSpec> fitted = LimitCheck.check(clients, small, true).clients();
        long sum = fitted.stream().mapToLong(c -> c.device().memory().bytes()).sum();
        assertTrue(sum <= 8L << 30, "fitted memory " + sum + " fits the host");
    }

    @Test
    void jvmAndNd4jAreSizedToTheContainer() {
        JvmSizing sizing = JvmSizing.of(seed().get(3).device()); // 2.5 CPUs, 5g
        assertEquals(3, sizing.processors());
        assertEquals(1, sizing.ompThreads(), "the engine trains on one thread");
        assertTrue(sizing.jvmOptions().contains("-XX:ActiveProcessorCount=3"));
        assertTrue(sizing.jvmOptions().contains("-Dorg.bytedeco.javacpp.maxbytes=" + (5L << 30)));
        assertEquals(List.of("OMP_NUM_THREADS=1"), sizing.environment());
    }

    @Test
    void noEngineIsOneClearMessage() {
        DockerEngine.NoEngineException e = assertThrows(DockerEngine.NoEngineException.class,
                () -> DockerEngine.connect("unix:///tmp/no-such-docker.sock"));
        assertTrue(e.getMessage().startsWith("no Docker engine answers at unix:///tmp/no-such-docker.sock"), e.getMessage());
        assertTrue(e.getMessage().contains("--runtime local"), e.getMessage());
    }
}
