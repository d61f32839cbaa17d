package io.flhetero.runtime.swarm;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.PushResponseItem;
import io.flhetero.jvm.ThisProgram;
import io.flhetero.runtime.docker.ClientLaunch;
import io.flhetero.runtime.docker.DockerEngine;
import io.flhetero.runtime.docker.DockerSetup;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The image a Swarm service runs: the client base image (a JRE) with this program's JAR in it, so that a node
 * needs nothing of this host's. Tagged by the base image and the JAR, built once per build of the program, and
 * pushed to the registry the nodes pull from when there is one; without one, a single-node swarm (or nodes the
 * image was loaded on) runs it from the engine's own store.
 */
public final class ClientImage {

    public static final String REPOSITORY = "fl-hetero/client";

    private ClientImage() {
    }

    /**
     * @param registry host:port of a registry every node can pull from, or null
     * @return the reference services run
     */
    public static String ensure(DockerEngine engine, String baseImage, Path jar, String registry,
                                Consumer<String> notice) {
        String baseId = engine.client().inspectImageCmd(baseImage).exec().getId().replaceFirst("^sha256:", "");
        String tag = baseId.substring(0, Math.min(12, baseId.length())) + "-" + ThisProgram.tag(jar);
        String local = REPOSITORY + ":" + tag;
        String reference = registry == null ? local : registry + "/" + local;
        if (!present(engine, reference)) {
            notice.accept("building the client image " + reference + " (" + baseImage + " with "
                    + jar.getFileName() + ")");
            build(engine, baseImage, jar, new TreeSet<>(List.of(local, reference)));
            removeOlder(engine, tag);
        }
        if (registry != null) {
            push(engine, reference, registry, notice);
        }
        return reference;
    }

    private static boolean present(DockerEngine engine, String reference) {
        try {
            engine.client().inspectImageCmd(reference).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /**
     * Removes the client images of earlier builds (each holds a copy of its JAR; also their names for a registry),
     * unless a container still uses one: the engine refuses that, and the image stays.
     */
    private static void removeOlder(DockerEngine engine, String tag) {
        for (Image image : engine.client().listImagesCmd().exec()) {
            for (String t : image.getRepoTags() == null ? new String[0] : image.getRepoTags()) {
                String repository = t.substring(0, t.lastIndexOf(':'));
                if ((repository.equals(REPOSITORY) || repository.endsWith("/" + REPOSITORY)) && !t.endsWith(":" + tag)) {
                    try {
                        engine.client().removeImageCmd(t).exec();
                    } catch (RuntimeException e) {
                        // In use, or gone already.
                    }
                }
            }
        }
    }

    /** Builds from a tar of the Dockerfile and the JAR, written here (the engine needs no file of this host). */
    private static void build(DockerEngine engine, String baseImage, Path jar, Set<String> tags) {
        Path context = null;
        try {
            context = Files.createTempFile("fl-hetero-image-", ".tar");
            byte[] dockerfile = ("FROM " + baseImage + "\nCOPY fl-hetero.jar " + ClientLaunch.JAR + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(context))) {
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                add(tar, "Dockerfile", dockerfile.length, out -> out.write(dockerfile));
                add(tar, "fl-hetero.jar", Files.size(jar), out -> Files.copy(jar, out));
            }
            try (InputStream in = Files.newInputStream(context)) {
                engine.client().buildImageCmd(in).withTags(tags).withPull(false)
                        .exec(new BuildImageResultCallback()).awaitImageId(10, TimeUnit.MINUTES);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the client image's build: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new DockerSetup.SetupException("cannot build the client image from " + baseImage + " ("
                    + DockerEngine.rootMessage(e) + "); check that --client-image names a local JRE image");
        } finally {
            if (context != null) {
                try {
                    Files.deleteIfExists(context);
                } catch (IOException e) {
                    // A temporary file: the system clears it.
                }
            }
        }
    }

    private interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private static void add(TarArchiveOutputStream tar, String name, long size, Content content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(size);
        entry.setMode(0644);
        tar.putArchiveEntry(entry);
        content.writeTo(tar);
        tar.closeArchiveEntry();
    }

    private static void push(DockerEngine engine, String reference, String registry, Consumer<String> notice) {
        notice.accept("pushing " + reference);
        StringBuilder error = new StringBuilder();
        try {
            boolean done = engine.client().pushImageCmd(reference).exec(new ResultCallback.Adapter<PushResponseItem>() {
                @Override
                public void onNext(PushResponseItem item) {
                    if (item.getErrorDetail() != null) {
                        error.append(item.getErrorDetail().getMessage());
                    }
                }
            }).awaitCompletion(30, TimeUnit.MINUTES);
            if (!done) {
                error.append("it took over 30 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error.append("interrupted");
        } catch (RuntimeException e) {
            error.append(DockerEngine.rootMessage(e));
        }
        if (!error.isEmpty()) {
            throw new DockerSetup.SetupException("cannot push the client image to --registry " + registry + " ("
                    + error + "); start a registry there that this engine may push to (plain HTTP only on "
                    + "127.0.0.0/8 unless listed in the engine's insecure-registries), or leave --registry out on "
                    + "a single node");
        }
    }
}
