package io.flhetero.bench;

import io.flhetero.jvm.ThisProgram;
import io.flhetero.profile.Profile;
import io.flhetero.profile.ProfileWriter;
import io.flhetero.report.RunDirectory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A benchmark's {@code run} of a profile in a JVM of its own (so that runs share no memory, JIT or native state),
 * its profile written next to its run directory.
 *
 * @param runId    its run directory's name under the runs folder
 * @param rounds   its rounds.csv
 * @param exitCode the run's exit code
 */
record ProfileRun(String runId, Path rounds, int exitCode) {

    /**
     * Runs {@code profile} as {@code NAME.yaml} under {@code runsDir}; {@code output} gets its console lines as they
     * come.
     *
     * @param options options of {@code run} beyond profile, runs folder, metrics port and id file
     * @throws IllegalStateException when the run ended without a run directory
     */
    static ProfileRun start(Path runsDir, String name, String comment, Profile profile, List<String> options,
                            Consumer<String> output) throws IOException, InterruptedException {
        Files.createDirectories(runsDir);
        Path file = runsDir.resolve(name + ".yaml");
        Files.writeString(file, "# " + comment + "\n" + ProfileWriter.toYaml(profile));
        Path idFile = runsDir.resolve(name + ".id");
        Files.deleteIfExists(idFile);
        List<String> command = new ArrayList<>(ThisProgram.command());
        command.addAll(List.of("run", "--profile", file.toString(), "--runs-dir", runsDir.toString(),
                "--metrics-port", "0", "--id-file", idFile.toString()));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                output.accept(line);
            }
        } finally {
            process.destroy();
        }
        int exit = process.waitFor();
        String runId = Files.exists(idFile) ? Files.readString(idFile).trim() : null;
        Path rounds = runId == null ? null : runsDir.resolve(runId).resolve(RunDirectory.ROUNDS);
        if (rounds == null || !Files.exists(rounds)) {
            throw new IllegalStateException(name + " ended (exit " + exit + ") without a run directory; its output "
                    + "is above");
        }
        return new ProfileRun(runId, rounds, exit);
    }
}
