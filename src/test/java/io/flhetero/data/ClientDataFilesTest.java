package io.flhetero.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientDataFilesTest {

    @Test
    void eachClientReadsBackExactlyItsOwnShare(@TempDir Path dir) {
        ImageSet images = RandomImages.of(30, 7);
        List<ClientData> split = FederatedData.split(images, "iid", 2, 0.2, 1.0, 3);
        ClientDataFiles files = new ClientDataFiles(dir.resolve("client-data"));

        files.write(List.of("client1", "client2"), split);

        for (int i = 0; i < 2; i++) {
            ClientData read = files.read("client" + (i + 1));
            assertArrayEquals(split.get(i).train().pixelBytes(), read.train().pixelBytes());
            assertArrayEquals(split.get(i).train().labelBytes(), read.train().labelBytes());
            assertArrayEquals(split.get(i).test().pixelBytes(), read.test().pixelBytes());
            assertArrayEquals(split.get(i).test().labelBytes(), read.test().labelBytes());
        }
    }

    @Test
    void anEmptyTestPartStaysEmpty(@TempDir Path dir) {
        ClientDataFiles files = new ClientDataFiles(dir);
        files.write(List.of("client1"), List.of(new ClientData(RandomImages.of(3, 1), ImageSet.empty())));

        ClientData read = files.read("client1");

        assertEquals(3, read.train().size());
        assertEquals(0, read.test().size());
    }

    @Test
    void aMissingShareSaysWhoWritesIt(@TempDir Path dir) {
        DataException e = assertThrows(DataException.class, () -> new ClientDataFiles(dir).read("client9"));
        assertTrue(e.getMessage().contains("client9-train.bin") && e.getMessage().contains("run"), e.getMessage());
    }

    @Test
    void deleteRemovesTheFolder(@TempDir Path dir) {
        ClientDataFiles files = new ClientDataFiles(dir.resolve("client-data"));
        files.write(List.of("client1"), List.of(new ClientData(RandomImages.of(2, 1), RandomImages.of(1, 2))));

        files.delete();

        assertFalse(Files.exists(dir.resolve("client-data")));
    }
}
