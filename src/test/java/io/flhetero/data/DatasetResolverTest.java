package io.flhetero.data;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetResolverTest {

    @TempDir
    Path dir;
    private HttpServer server;
    private final List<String> warnings = new ArrayList<>();

    /** A mirror on loopback that has nothing: every download fails with 404. */
    @BeforeEach
    void emptyMirror() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private DatasetResolver resolver(Path dataDir, boolean allowSynthetic) {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/cifar-10-binary.tar.gz");
        return new DatasetResolver(dataDir, dir.resolve("cache"), allowSynthetic, 200,
                new CifarDownloader(url, CifarDownloader.DEFAULT_MD5, p -> { }), warnings::add);
    }

    @Test
    void readsAnExistingCopy() {
        CifarDirectory.write(dir.resolve("copy"), SyntheticCifar.generate(50, 1), SyntheticCifar.generate(10, 2));
        Dataset data = resolver(dir.resolve("copy"), false).resolve("cifar10", 1);
        assertFalse(data.synthetic());
        assertEquals(50, data.train().size());
        assertEquals(10, data.test().size());
        assertTrue(data.describe().startsWith("CIFAR-10"));
    }

    @Test
    void refusesToInventDataUnlessAllowed() {
        DataException e = assertThrows(DataException.class, () -> resolver(null, false).resolve("cifar10", 1));
        assertTrue(e.getMessage().contains("--allow-synthetic"), e.getMessage());
        assertTrue(e.getMessage().contains("--dataset synthetic"), e.getMessage());
        assertTrue(warnings.isEmpty());
    }

    @Test
    void fallsBackLoudlyWhenAllowed() {
        Dataset data = resolver(null, true).resolve("cifar10", 1);
        assertTrue(data.synthetic());
        assertEquals(200, data.train().size());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("SYNTHETIC") && w.contains("NOT CIFAR-10")), warnings.toString());
        assertTrue(data.describe().startsWith("SYNTHETIC data (not CIFAR-10)"));
    }

    @Test
    void generatesSyntheticDataWhenAskedWithoutTryingTheNetwork() {
        server.stop(0);
        Dataset data = resolver(null, false).resolve("synthetic", 3);
        assertTrue(data.synthetic());
        assertEquals(40, data.test().size());
        assertTrue(warnings.isEmpty());
    }
}
