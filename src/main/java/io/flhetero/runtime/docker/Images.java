package io.flhetero.runtime.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.PullResponseItem;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Makes sure an image is there (the clients', or the monitoring stack's): present, or pulled with progress, or
 * one clear message.
 */
public final class Images {

    /** A public Java 17 runtime image; the offline script builds fl-hetero/jre:17 instead. */
    /** Pinned to a release, so that the same command runs the same JRE next month. */
    public static final String DEFAULT_CLIENT = "eclipse-temurin:17.0.12_7-jre";
    public static final String OFFLINE_SCRIPT = "scripts/build-offline-images.sh";

    private Images() {
    }

    public static void ensure(DockerEngine engine, String image, Consumer<String> progress) {
        try {
            engine.client().inspectImageCmd(image).exec();
            return;
        } catch (NotFoundException e) {
            progress.accept("image " + image + " is missing: pulling it");
        }
        try {
            boolean done = engine.client().pullImageCmd(image).exec(new ResultCallback.Adapter<PullResponseItem>() {
                private String lastStatus = "";

                @Override
                public void onNext(PullResponseItem item) {
                    String status = item.getStatus() == null ? "" : item.getStatus();
                    if (!status.equals(lastStatus) && (status.startsWith("Pulling") || status.startsWith("Download")
                            || status.startsWith("Status"))) {
                        progress.accept("  " + status + (item.getId() == null ? "" : " " + item.getId()));
                        lastStatus = status;
                    }
                }
            }).awaitCompletion(30, TimeUnit.MINUTES);
            if (!done) {
                throw new ImageException("pulling " + image + " took over 30 minutes");
            }
            engine.client().inspectImageCmd(image).exec();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException("interrupted while pulling " + image);
        } catch (RuntimeException e) {
            throw new ImageException("the client image " + image + " is not on this engine and cannot be pulled ("
                    + DockerEngine.rootMessage(e) + "); without a registry, build it with `sudo " + OFFLINE_SCRIPT
                    + "` and pass --client-image fl-hetero/jre:17");
        }
    }

    /** An image that cannot be had: a setup problem, exit code 2. */
    public static final class ImageException extends RuntimeException {
        public ImageException(String message) {
            super(message);
        }
    }
}
