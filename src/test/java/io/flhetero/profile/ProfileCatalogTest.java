package io.flhetero.profile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProfileCatalogTest {

    private static final Path SHIPPED = Path.of("profiles");

    @Test
    void everyShippedProfileIsValid() throws IOException {
        try (Stream<Path> files = Files.list(SHIPPED)) {
            List<Path> yaml = files.filter(p -> p.toString().endsWith(".yaml")).toList();
            assertTrue(yaml.size() >= 4, "default, seed and two more mixes are shipped");
            for (Path file : yaml) {
                Profile p = ProfileReader.read(file);
                assertEquals(file.getFileName().toString().replace(".yaml", ""), p.name());
            }
        }
    }

    @Test
    void aBadFileInTheFolderSpoilsOnlyItself(@TempDir Path dir) throws IOException {
        Files.copy(SHIPPED.resolve("quickstart.yaml"), dir.resolve("good.yaml"));
        Files.writeString(dir.resolve("broken.yaml"), "devices: [\n");
        Files.write(dir.resolve("huge.yaml"), new byte[(int) ProfileReader.MAX_FILE_BYTES + 1]);

        List<ProfileCatalog.Entry> all = new ProfileCatalog(dir).all();
        assertTrue(all.stream().anyMatch(e -> e.name().equals("huge")), "listed, though unreadable");
        ProfileCatalog.Entry good = all.stream().filter(e -> e.name().equals("good")).findFirst().orElseThrow();
        assertEquals(6, good.parse(ProfileOverrides.NONE).rounds());
        for (String bad : List.of("broken", "huge")) {
            ProfileCatalog.Entry entry = all.stream().filter(e -> e.name().equals(bad)).findFirst().orElseThrow();
            assertThrows(ProfileException.class, () -> entry.parse(ProfileOverrides.NONE), bad);
        }
    }

    @Test
    void defaultAndSeedMatchTheOriginal() {
        ProfileCatalog catalog = new ProfileCatalog(SHIPPED);
        Profile def = catalog.find("default").parse(ProfileOverrides.NONE);
        assertEquals(2, def.clients());
        assertEquals(100, def.rounds());
        assertEquals(0.6, def.dataset().dataPercentage());
        Profile seed = catalog.find("seed").parse(ProfileOverrides.NONE);
        assertEquals(4, seed.devices().size());
        DeviceClass second = seed.devices().get(1);
        assertEquals(6L << 30, second.memory().bytes());
        assertEquals(256, second.batchSize());
        assertEquals(1.0, second.cpus());
        assertEquals(0.05, second.learningRate());
    }

    @Test
    void bundledIndexListsEveryShippedProfile() throws IOException {
        Properties index = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/profiles/index.properties")) {
            index.load(in);
        }
        List<String> listed = List.of(index.getProperty("profiles").split("\\s*,\\s*"));
        try (Stream<Path> files = Files.list(SHIPPED)) {
            List<String> shipped = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml")).map(n -> n.replace(".yaml", "")).sorted().toList();
            assertEquals(shipped, listed.stream().sorted().toList(),
                    "src/main/resources/profiles/index.properties must list every file in profiles/");
        }
    }

    @Test
    void findsByNameFromAnyFolderThroughTheBundle(@TempDir Path empty) {
        ProfileCatalog catalog = new ProfileCatalog(empty.resolve("profiles"));
        ProfileCatalog.Entry entry = catalog.find("seed");
        assertEquals("bundled:seed", entry.source());
        assertEquals(4, entry.parse(ProfileOverrides.NONE).clients());
    }

    @Test
    void localFolderShadowsTheBundle(@TempDir Path dir) throws IOException {
        Path profiles = Files.createDirectories(dir.resolve("profiles"));
        Files.writeString(profiles.resolve("seed.yaml"), "rounds: 7\ndevices:\n  - {name: d, cpus: 1, memory: 1g, "
                + "batch_size: 8, learning_rate: 0.01}\n");
        assertEquals(7, new ProfileCatalog(profiles).find("seed").parse(ProfileOverrides.NONE).rounds());
    }

    @Test
    void unknownNameListsTheKnownOnes(@TempDir Path empty) {
        ProfileException e = assertThrows(ProfileException.class, () -> new ProfileCatalog(empty).find("nope"));
        assertTrue(e.getMessage().contains("quickstart"), e.getMessage());
    }

    @Test
    void assignsDevicesRoundRobinRandomOrByCount() {
        String devices = "devices:\n  - {name: a, cpus: 1, memory: 1g, batch_size: 8, learning_rate: 0.01}\n"
                + "  - {name: b, cpus: 2, memory: 2g, batch_size: 8, learning_rate: 0.01}\n";
        Profile rr = ProfileReader.parse("rr", "clients: 5\n" + devices, ProfileOverrides.NONE);
        assertEquals(List.of("a", "b", "a", "b", "a"), DeviceMix.clients(rr).stream().map(c -> c.device().name()).toList());
        assertEquals("client1", DeviceMix.clients(rr).get(0).id());

        Profile random = ProfileReader.parse("r", "clients: 40\nassignment: random\nseed: 3\n" + devices,
                ProfileOverrides.NONE);
        List<String> first = DeviceMix.clients(random).stream().map(c -> c.device().name()).toList();
        assertEquals(first, DeviceMix.clients(random).stream().map(c -> c.device().name()).toList());
        assertTrue(first.contains("a") && first.contains("b"));

        Profile counted = ProfileReader.parse("c", devices.replace("learning_rate: 0.01}", "learning_rate: 0.01, count: 2}"),
                ProfileOverrides.NONE);
        assertEquals(4, counted.clients());
        assertEquals(List.of("a", "a", "b", "b"), DeviceMix.clients(counted).stream().map(c -> c.device().name()).toList());
    }
}
