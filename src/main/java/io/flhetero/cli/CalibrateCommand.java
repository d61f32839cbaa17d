package io.flhetero.cli;

import io.flhetero.bench.CalibrationBenchmark.Times;
import io.flhetero.bench.CalibrationBenchmark;
import io.flhetero.jvm.ThisProgram;
import io.flhetero.profile.Profile;
import io.flhetero.profile.ProfileCatalog;
import io.flhetero.profile.ProfileOverrides;
import io.flhetero.run.DockerSettings;
import io.flhetero.runtime.docker.ClientContainers;
import io.flhetero.runtime.docker.DockerEngine;
import io.flhetero.runtime.docker.Images;
import io.flhetero.runtime.docker.LimitCheck;
import io.flhetero.runtime.local.DeviceCalibration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bench calibrate}: fits the in-process device model to this host's containers and keeps the fit. */
@Command(mixinStandardHelpOptions = true, name = "calibrate", description = "Run one small profile (a client per "
        + "CPU share) in containers and in-process, fit the in-process device model to the containers (per CPU share: "
        + "fit and evaluation time once warm; a fresh JVM's warm-up), keep the fit in the cache for this host and JAR, "
        + "run the containers again (--judge times) and print each client's error against them before and after, "
        + "beside how far the container runs differ among themselves. In-process runs use the fit from then on. "
        + "With --check, only judge the fit kept already, on any profile.")
final class CalibrateCommand implements Callable<Integer> {

    @Option(names = "--rounds", defaultValue = "5", description = "Rounds of each run: of a fit, the last two measure "
            + "the warm pace, the others the warm-up (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = {"-p", "--profile"}, paramLabel = "NAME|FILE", description = "Calibrate on this device mix, at "
            + "its CPU shares and batch sizes, instead of the built-in one (0.25, 0.5 and 1 CPU at batches 16, 32, 64): "
            + "the mix that is to be predicted.")
    String profileName;

    @Option(names = "--data-percentage", paramLabel = "FRACTION", description = "With --profile: its share of the "
            + "data set (keep the runs short).")
    Double dataPercentage;

    @Option(names = "--fit-to-host", description = "With --profile: scale its limits to this host, as `run "
            + "--fit-to-host` does.")
    boolean fitToHost;

    @Option(names = "--repeats", defaultValue = "3", paramLabel = "N", description = "Container runs the fit is "
            + "made from: it takes their median per round and client (of two, their mean), so that one run's luck on "
            + "a shared machine weighs less in the model; with --check they only show how far container runs differ "
            + "among themselves (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--judge", defaultValue = "3", paramLabel = "N", description = "Container runs after the fit "
            + "that judge it: its errors are against their median per round and client. One run on a shared machine "
            + "lies up to tens of percent from another; the median of several makes the judgement about the model "
            + "more than about the run (default: ${DEFAULT-VALUE}).")
    int judge;

    @Option(names = "--check", description = "Fit nothing: judge the device model kept for this host and JAR on the "
            + "profile, against --judge container runs after --repeats others.")
    boolean check;

    @Mixin
    DataOptions data;

    @Mixin
    ClientImageOption clientImage;

    @Option(names = "--runs-dir", defaultValue = "runs", paramLabel = "DIR",
            description = "Where the runs' directories go (default: ${DEFAULT-VALUE}).")
    Path runsDir;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (!check && rounds < CalibrationBenchmark.STEADY_ROUNDS + 1) {
            throw new BadInputException("--rounds must be " + (CalibrationBenchmark.STEADY_ROUNDS + 1) + " or more (the "
                    + "first measure the warm-up, the last " + CalibrationBenchmark.STEADY_ROUNDS + " the warm pace), got "
                    + rounds);
        }
        if (profileName == null && (dataPercentage != null || fitToHost)) {
            throw new BadInputException("--data-percentage and --fit-to-host go with --profile");
        }
        if (repeats < 1) {
            throw new BadInputException("--repeats must be 1 or more, got " + repeats);
        }
        if (judge < 1) {
            throw new BadInputException("--judge must be 1 or more, got " + judge);
        }
        Path jar = ThisProgram.jar().orElseThrow(() -> new BadInputException("bench calibrate keeps its fit for the "
                + "JAR it ran from: run it as java -jar target/fl-hetero.jar bench calibrate"));
        String jarTag = ThisProgram.tag(jar);
        DeviceCalibration kept = null;
        if (check) {
            kept = DeviceCalibration.load(data.cache(), jarTag).orElseThrow(() -> new BadInputException("--check "
                    + "judges the device model kept for this host and JAR, and there is none: run `bench calibrate` "
                    + "first (without --check)"));
        }
        String image = clientImage.image();
        Profile profile = profileName == null ? CalibrationBenchmark.profile(rounds, data.dataset)
                : ProfileCatalog.inWorkingDirectory().find(profileName).parse(new ProfileOverrides(rounds, null,
                        dataPercentage, data.dataset));
        boolean archived;
        try (DockerEngine engine = DockerEngine.connect()) {
            Images.ensure(engine, image, out::println);
            if (fitToHost) {
                List<String> scaled = new ArrayList<>();
                profile = LimitCheck.fitted(profile, engine.capacity(), scaled);
                scaled.forEach(out::println);
            }
            archived = ClientContainers.classArchive(engine.client(), image, jar,
                    DockerSettings.defaultNativeCache()).present();
        }
        Map<String, Double> cpus = CalibrationBenchmark.cpus(profile);
        out.printf(Locale.ROOT, "bench calibrate%s: %s, %d clients (%s CPU), %d rounds, in containers and "
                        + "in-process%n", check ? " --check" : "", profile.name(), cpus.size(),
                CalibrationBenchmark.shares(cpus), rounds);

        List<String> common = new ArrayList<>(data.asRunOptions());
        List<String> docker = List.of("--runtime", "docker", "--no-monitoring", "--client-image", image);
        if (!archived) {
            // The first client JVMs of a JAR load every class from it and write the class-data archive that later
            // ones map: their first rounds are slower than any later run's, so they are not measured.
            out.println("no class-data archive of client JVMs for this JAR yet: one round in containers writes it, not "
                    + "measured");
            run(out, profile.withRounds(1), "containers, writing the class-data archive", common, docker);
        }
        List<Times> earlier = median(out, profile, repeats, "containers", common, docker);
        List<Times> before = run(out, profile, "in-process", common, List.of("--runtime", "local", "--uncalibrated"));
        if (!check) {
            DeviceCalibration calibration = CalibrationBenchmark.fit(cpus, earlier, before, DeviceCalibration.hostName(),
                    jarTag, LocalDate.now().toString(), profile.name());
            Path file = calibration.save(data.cache());
            out.printf(Locale.ROOT, "device model for this host: %s%n  kept in %s%n", calibration, file);
        } else {
            out.printf(Locale.ROOT, "device model for this host, as kept: %s%n", kept);
        }
        // The model is judged on container runs it has not seen.
        List<Times> judged = median(out, profile, judge, "containers, judged", common, docker);
        List<Times> after = run(out, profile, "in-process, calibrated", common, List.of("--runtime", "local"));
        out.println();
        out.println("against " + (judge > 1 ? "the median of the last " + judge + " container runs" : "the last "
                + "container run") + (check ? "" : " (the fit saw only those before)") + "; \"other container "
                + "runs\": " + (repeats > 1 ? "the median of the earlier ones" : "the earlier one") + ", for scale:");
        out.print(CalibrationBenchmark.table(cpus, judged, earlier, before, after));
        return ExitCode.OK;
    }

    /** Runs the profile {@code count} times one way; the median per round and client. */
    private List<Times> median(PrintStream out, Profile profile, int count, String how, List<String> common,
                               List<String> runtime) throws Exception {
        List<List<Times>> runs = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            runs.add(run(out, profile, how + (count > 1 ? ", run " + i : ""), common, runtime));
        }
        return CalibrationBenchmark.median(runs);
    }

    private List<Times> run(PrintStream out, Profile profile, String how, List<String> common, List<String> runtime)
            throws Exception {
        out.println(how + ":");
        List<String> options = new ArrayList<>(common);
        options.addAll(runtime);
        return CalibrationBenchmark.read(CalibrationBenchmark.start(runsDir, how, profile, options,
                line -> out.println("    " + line)));
    }
}
