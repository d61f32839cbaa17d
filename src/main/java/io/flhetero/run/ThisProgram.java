package io.flhetero.run;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/** The command line that starts this program again in a new JVM, with this JVM's options. */
public final class ThisProgram {

    public static final String MAIN = "io.flhetero.cli.Main";

    private ThisProgram() {
    }

    /** {@code java [options] -jar fl-hetero.jar} when run from the JAR (its manifest opens modules), else -cp. */
    public static List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        String classPath = System.getProperty("java.class.path");
        if (classPath.endsWith(".jar") && !classPath.contains(File.pathSeparator)) {
            command.add("-jar");
            command.add(classPath);
        } else {
            command.add("-cp");
            command.add(classPath);
            command.add(MAIN);
        }
        return command;
    }
}
