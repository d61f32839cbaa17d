package io.flhetero.runtime.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** The last lines of a container's or a service's log: what is known of a client that never registered or died. */
public final class LogTail {

    private LogTail() {
    }

    /**
     * @param request starts the log request with the callback it is given (a container's or a service's log, with
     *                its tail length) and returns that callback
     */
    public static String of(Function<ResultCallback.Adapter<Frame>, ResultCallback.Adapter<Frame>> request) {
        StringBuilder out = new StringBuilder();
        try {
            request.apply(new ResultCallback.Adapter<>() {
                @Override
                public void onNext(Frame frame) {
                    out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
            }).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            out.append("(no log: ").append(DockerEngine.rootMessage(e)).append(')');
        }
        return out.toString();
    }
}
