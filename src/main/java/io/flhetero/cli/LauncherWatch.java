package io.flhetero.cli;

import java.util.concurrent.CompletableFuture;

/**
 * In a run that {@link NativeThreads} relaunched, ends the run when the launching JVM is gone (SIGKILLed, or its
 * terminal closed): without it the child would train on as an orphan, holding its port, its containers and the
 * run directory. Exiting runs the run's shutdown hook, which stops it as Ctrl-C does.
 */
final class LauncherWatch {

    private LauncherWatch() {
    }

    /** Starts watching if this JVM was relaunched; {@code onGone} is told before this JVM exits with {@code status}. */
    static void start(Runnable onGone, int status) {
        String pid = System.getenv(NativeThreads.LAUNCHER_PID);
        if (pid == null) {
            return;
        }
        CompletableFuture<?> gone;
        try {
            gone = ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::onExit)
                    .orElse(CompletableFuture.completedFuture(null)); // gone already
        } catch (NumberFormatException e) {
            return;
        }
        gone.thenRunAsync(() -> {
            onGone.run();
            System.exit(status);
        });
    }
}
