package io.flhetero.cli;

import io.flhetero.jvm.ClassDataArchive;
import io.flhetero.jvm.StopTimes;
import io.flhetero.jvm.ThisProgram;
import io.flhetero.run.DockerSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keeps ND4J single-threaded for {@code run}, whose in-process clients each train on their own thread. ND4J
 * reads OMP_NUM_THREADS once, when its natives load, and offers no working setter afterwards
 * ({@code Environment.setMaxThreads} does nothing in 1.0.0-M2.1); two clients each using two OpenMP threads on
 * two cores train 5x slower. So when the variable is unset, {@code run} restarts this JVM with it set to 1.
 */
final class NativeThreads {

    static final String ENV = "OMP_NUM_THREADS";
    /** Set in the child: the pid of the JVM that relaunched it, which it stops with (see {@link LauncherWatch}). */
    static final String LAUNCHER_PID = "FL_HETERO_LAUNCHER_PID";

    private NativeThreads() {
    }

    static boolean needsRelaunch(String[] args) {
        boolean run = List.of(args).stream().filter(a -> !a.startsWith("-")).findFirst().orElse("").equals("run");
        return System.getenv(ENV) == null && run && !List.of(args).contains("--help") && !List.of(args).contains("-h");
    }

    /**
     * Runs the same command in a child JVM with OMP_NUM_THREADS=1 and returns its exit code. From the JAR, the
     * child also maps (or, the first time, writes) a class-data archive: it is the server, on the path of every
     * client waiting to join.
     */
    static int relaunch(String[] args) throws Exception {
        ClassDataArchive classes = ThisProgram.jar().map(NativeThreads::classData).orElse(null);
        List<String> command = new ArrayList<>(ThisProgram.command(classes == null ? List.of()
                : classes.jvmOptions(true)));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put(ENV, "1");
        builder.environment().put(LAUNCHER_PID, Long.toString(ProcessHandle.current().pid()));
        Process child = builder.start();
        // A signal to this JVM alone (kill PID, a supervisor, docker stop) is passed on as SIGTERM, which the
        // child's run handles as Ctrl-C: it stops gracefully, and this JVM waits for it. Ctrl-C in a terminal
        // reaches both; the child is then already stopping and the second signal changes nothing.
        Thread waitForChild = new Thread(() -> {
            child.destroy();
            try {
                if (!child.waitFor(StopTimes.LAUNCHER.toSeconds(), TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
            } catch (InterruptedException e) {
                child.destroyForcibly();
            }
        }, "wait-for-run");
        Runtime.getRuntime().addShutdownHook(waitForChild);
        int exit = child.waitFor();
        if (classes != null && exit == 0) {
            classes.keep();
        } else if (classes != null) {
            classes.discard();
        }
        return exit;
    }

    /**
     * The run JVM's own archive, in a folder of its own: never in the cache client containers mount read-write,
     * so that no container can change what this JVM maps.
     */
    private static ClassDataArchive classData(Path jar) {
        Path cache = DockerSettings.defaultNativeCache().resolveSibling("class-data");
        try {
            Files.createDirectories(cache);
        } catch (IOException e) {
            return null;
        }
        return ClassDataArchive.forJar(jar, "run-" + Runtime.version(), cache, cache.toString());
    }
}
