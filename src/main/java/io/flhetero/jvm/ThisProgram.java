package io.flhetero.jvm;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/** The command line that starts this program again in a new JVM, with this JVM's options. */
public final class ThisProgram {

    public static final String MAIN = "io.flhetero.cli.Main";

    private ThisProgram() {
    }

    /** {@code java [options] -jar fl-hetero.jar} when run from the JAR (its manifest opens modules), else -cp. */
    public static List<String> command() {
        return command(List.of());
    }

    /** The same, with more JVM options. */
    public static List<String> command(List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(jvmOptions);
        String classPath = System.getProperty("java.class.path");
        Optional<Path> jar = jar();
        if (jar.isPresent()) {
            command.add("-jar");
            command.add(classPath);
        } else {
            command.add("-cp");
            command.add(classPath);
            command.add(MAIN);
        }
        return command;
    }

    /**
     * The JAR's size and modification time: what is cached for one build of the program (class data, the device
     * calibration) carries it.
     */
    public static String tag(Path jar) {
        try {
            return Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar + ": " + e.getMessage(), e);
        }
    }

    /** The program's version, from the JAR's manifest; "dev" when it runs from classes. */
    public static String version() {
        String v = ThisProgram.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /**
     * The git commit the JAR was built from ("3f2a9c1", "3f2a9c1 with local changes"); empty when it runs from
     * classes or was built outside a git clone.
     */
    public static Optional<String> commit() {
        return jar().flatMap(ThisProgram::commit);
    }

    /** The commit a JAR's manifest names. */
    static Optional<String> commit(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Attributes main = file.getManifest() == null ? null : file.getManifest().getMainAttributes();
            String commit = main == null ? null : main.getValue("Build-Commit");
            if (commit == null || commit.isBlank() || commit.startsWith("${")) {
                return Optional.empty();
            }
            return Optional.of(commit + ("true".equals(main.getValue("Build-Dirty")) ? " with local changes" : ""));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The JAR this program runs from, if it runs from one. */
    public static Optional<Path> jar() {
        String classPath = System.getProperty("java.class.path");
        return classPath.endsWith(".jar") && !classPath.contains(File.pathSeparator) ? Optional.of(Path.of(classPath))
                : Optional.empty();
    }
}
