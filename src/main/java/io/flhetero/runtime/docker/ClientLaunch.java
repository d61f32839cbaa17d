package io.flhetero.runtime.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flhetero.fl.cluster.ClusterSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * What a client container needs to join its run, written as {@code client.json} into the run directory,
 * which every client container mounts read-only at {@link #RUN_DIR}, next to each client's share of the data (in
 * {@link #DATA}). It holds the run token: owner-only file.
 *
 * @param dataset what the clients' data was drawn from, for their logs
 */
public record ClientLaunch(String runId, String clusterName, String serverHost, int basePort, int members, String token,
                           String clientSubnet, String dataset) {

    public static final String FILE = "client.json";
    public static final String DATA = "client-data";
    public static final String RUN_DIR = "/run/fl-hetero";
    public static final String JAR = "/app/fl-hetero.jar";

    private static final ObjectMapper JSON = new ObjectMapper();

    public ClusterSettings cluster() {
        return new ClusterSettings(clusterName, serverHost, basePort, members, token, clientSubnet);
    }

    public static ClientLaunch of(String runId, ClusterSettings cluster, String dataset) {
        return new ClientLaunch(runId, cluster.name(), cluster.host(), cluster.basePort(), cluster.members(),
                cluster.token(), cluster.clientSubnet(), dataset);
    }

    /** Written whole or not at all: a client started before its run waits for the file to appear. */
    public void write(Path runDir) {
        try {
            Path file = runDir.resolve(FILE);
            Path tmp = runDir.resolve(FILE + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file's content: what a Swarm service gets as a secret instead of a file on this host. */
    public byte[] json() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ClientLaunch read(Path file) {
        try {
            return JSON.readValue(file.toFile(), ClientLaunch.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the client launch file " + file + ": " + e.getMessage(), e);
        }
    }
}
