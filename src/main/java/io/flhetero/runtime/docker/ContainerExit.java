package io.flhetero.runtime.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import io.flhetero.fl.api.FailureReason;

/**
 * Why a container ended, read from the engine: State.OOMKilled with exit 137 when the kernel killed it for
 * memory (also OOMKilled with exit 0 when a child process was killed), exit 1 for a Java heap exhausted
 * inside the limit (OutOfMemoryError), other codes for other deaths.
 */
public record ContainerExit(String clientId, boolean oomKilled, long exitCode, String error, boolean removed) {

    public static ContainerExit of(String clientId, InspectContainerResponse inspect) {
        InspectContainerResponse.ContainerState state = inspect.getState();
        Long code = state.getExitCodeLong();
        return new ContainerExit(clientId, Boolean.TRUE.equals(state.getOOMKilled()), code == null ? -1 : code,
                state.getError() == null ? "" : state.getError(), false);
    }

    /** A container that is gone by the time it is looked at: removed from outside the run. */
    public static ContainerExit removed(String clientId) {
        return new ContainerExit(clientId, false, -1, "", true);
    }

    /** The engine itself went away (stopped or restarted): the container went with it. */
    public static ContainerExit engineGone(String clientId) {
        return new ContainerExit(clientId, false, -1, "the Docker engine stopped or restarted under the run", false);
    }

    public FailureReason reason() {
        return oomKilled ? FailureReason.OOM : FailureReason.DIED;
    }

    public String describe() {
        if (removed) {
            return "container removed from outside the run (`fl-hetero stop --force`, `docker rm`): it is not "
                    + "restarted";
        }
        if (oomKilled) {
            return "container OOM-killed by the kernel (exit " + exitCode + "): its memory limit is too small for its "
                    + "batch size; lower batch_size or raise memory";
        }
        if (exitCode < 0 && !error.isEmpty()) {
            return error;
        }
        if (exitCode == 1) {
            return "container exited with 1 (a Java error such as OutOfMemoryError inside the limit; see its log)";
        }
        return "container exited with " + exitCode + (error.isEmpty() ? "" : " (" + error + ")");
    }
}
