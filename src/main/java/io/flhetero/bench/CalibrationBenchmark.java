package io.flhetero.bench;

import io.flhetero.fl.client.FlClient;
import io.flhetero.model.TrainingSpeed;
import io.flhetero.profile.ClientSpec;
import io.flhetero.profile.DeviceMix;
import io.flhetero.profile.Profile;
import io.flhetero.profile.ProfileOverrides;
import io.flhetero.profile.ProfileReader;
import io.flhetero.report.RoundsCsv;
import io.flhetero.runtime.local.DeviceCalibration;
import io.flhetero.runtime.local.WorkCost;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * {@code bench calibrate}: the in-process device model fitted to this host's containers. One small profile (a
 * client per CPU share, each at its own batch size) runs in containers and in-process, each a run in a JVM of its
 * own. The in-process run's thread CPU times over the batch sizes give what work costs this host's engine
 * ({@link WorkCost}); per CPU share, the containers' fit and evaluation times once warm against that count give
 * the ratios; the earlier rounds' remainder gives a fresh JVM's warm-up ({@link DeviceCalibration}).
 */
public final class CalibrationBenchmark {

    /** The CPU shares measured, and each one's batch size: the model interpolates between the shares. */
    public static final double[] CPUS = {0.25, 0.5, 1};
    private static final int[] BATCHES = {16, 32, 64};

    /** The last rounds, where a container's JVM is warm: costs and ratios come from them, warm-up from the rest. */
    public static final int STEADY_ROUNDS = 2;

    /** One client's work and device times in one round of a run. */
    public record Times(int round, String clientId, double fit, double evaluate, double roundSeconds, int steps,
                        int examples, int batchSize, int testExamples) {
    }

    private CalibrationBenchmark() {
    }

    /**
     * A client per CPU share, on Fashion-MNIST (or {@code dataset}): about 1,000 training and 4,000 test images each.
     *
     * @param dataset a data set's name instead of Fashion-MNIST; null: Fashion-MNIST
     */
    public static Profile profile(int rounds, String dataset) {
        StringBuilder yaml = new StringBuilder("name: calibration\ndescription: One client per CPU share and batch "
                + "size, for bench calibrate.\nrounds: " + rounds + "\ndevices:\n");
        for (int i = 0; i < CPUS.length; i++) {
            yaml.append(String.format(Locale.ROOT, "  - {name: cpu-%s, cpus: %s, memory: 1500m, batch_size: %d, "
                    + "learning_rate: 0.001, count: 1}%n", CPUS[i], CPUS[i], BATCHES[i]));
        }
        yaml.append("model: {batchnorm_momentum: 0.9}\n"
                + "dataset: {name: fashion-mnist, data_percentage: 0.0625, test_split: 0.2}\n"
                + "strategy: {min_fit_clients: " + CPUS.length + ", min_available_clients: " + CPUS.length
                + ", round_timeout: 10m}\n");
        return ProfileReader.parse("bench calibrate", yaml.toString(), new ProfileOverrides(null, null, null,
                dataset));
    }

    /**
     * Runs the profile one way ({@code how}: a label, e.g. "containers"), in a JVM of its own; its rounds.csv.
     *
     * @throws IllegalStateException when the run failed
     */
    public static Path start(Path runsDir, String how, Profile profile, List<String> options,
                             Consumer<String> output) throws IOException, InterruptedException {
        String name = "bench-calibrate-" + how.replaceAll("[^a-z0-9]+", "-").replaceAll("-$", "");
        ProfileRun run = ProfileRun.start(runsDir, name, "bench calibrate, " + how, profile, options, output);
        if (run.exitCode() != 0) {
            throw new IllegalStateException("the " + how + " run " + run.runId() + " failed (exit " + run.exitCode()
                    + "); its output is above");
        }
        return run.rounds();
    }

    /** Each client's CPU share in the profile, by client id. */
    public static Map<String, Double> cpus(Profile profile) {
        Map<String, Double> cpus = new LinkedHashMap<>();
        for (ClientSpec c : DeviceMix.clients(profile)) {
            cpus.put(c.id(), c.device().cpus());
        }
        return cpus;
    }

    /** The clients' CPU shares as a list: "0.25, 0.5, 1.0". */
    public static String shares(Map<String, Double> cpus) {
        return String.join(", ", cpus.values().stream().map(String::valueOf).toList());
    }

    /** The clients' fits of a run, from its rounds.csv. */
    public static List<Times> read(Path roundsCsv) throws IOException {
        return RoundsCsv.read(roundsCsv).stream().filter(r -> r.text("status").equals("ok"))
                .map(r -> new Times(r.round(), r.text("client_id"), r.number("simulated_seconds"),
                        r.number("evaluate_seconds", 0), r.number("round_simulated_seconds"), r.integer("steps"),
                        r.integer("examples"), r.integer("batch_size"), r.integer("test_examples")))
                .toList();
    }

    /**
     * Per round and client, the median of several runs' times: what the fit takes from repeated container runs, so
     * that one run's luck on this shared machine does not become the model. A client missing from a run (a failed
     * fit) is the median of the runs that have it.
     */
    public static List<Times> median(List<List<Times>> runs) {
        if (runs.isEmpty()) {
            return List.of();
        }
        Map<String, List<Times>> byKey = new LinkedHashMap<>();
        for (List<Times> run : runs) {
            run.forEach(t -> byKey.computeIfAbsent(key(t), k -> new ArrayList<>()).add(t));
        }
        return byKey.values().stream().map(same -> {
            Times t = same.get(0);
            return new Times(t.round(), t.clientId(), median(same, Times::fit), median(same, Times::evaluate),
                    median(same, Times::roundSeconds), t.steps(), t.examples(), t.batchSize(), t.testExamples());
        }).toList();
    }

    private static double median(List<Times> times, ToDoubleFunction<Times> value) {
        double[] v = times.stream().mapToDouble(value).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /**
     * The calibration from container runs (their {@link #median}) and an uncalibrated in-process run of the same
     * profile. Warm rounds are the last {@link #STEADY_ROUNDS}: the in-process ones give the cost of work (thread
     * CPU time at one core, over the clients' batch sizes); the container ones, per CPU share, the ratio of their
     * time to that count. In each earlier round the containers' remainder is, per CPU share, that round's warm-up.
     * The mix it was measured on is kept with it, so that runs of other mixes can be told.
     */
    public static DeviceCalibration fit(Map<String, Double> cpus, List<Times> containers, List<Times> local,
                                        String host, String jar, String measured, String profileName) {
        String mix = profileName + " (" + shares(cpus) + " CPU)";
        double mixCpus = cpus.values().stream().mapToDouble(Double::doubleValue).sum();
        int rounds = containers.stream().mapToInt(Times::round).max().orElse(1);
        int warmRounds = Math.max(1, rounds - STEADY_ROUNDS);
        WorkCost cost = cost(cpus, local.stream().filter(t -> t.round() > warmRounds).toList());
        DeviceCalibration counted = new DeviceCalibration(host, jar, measured, mix, mixCpus, cost, new double[] {1},
                new double[] {1}, new double[] {1}, new double[][] {{}}, new double[][] {{}});
        double[] shares = cpus.values().stream().mapToDouble(Double::doubleValue).distinct().sorted().toArray();
        double[] fitRatio = new double[shares.length];
        double[] evaluateRatio = new double[shares.length];
        for (int i = 0; i < shares.length; i++) {
            double share = shares[i];
            List<Times> warm = containers.stream().filter(t -> t.round() > warmRounds
                    && cpus.get(t.clientId()) == share).toList();
            fitRatio[i] = ratio(warm, t -> t.fit(), t -> fitModel(counted, cpus, t));
            evaluateRatio[i] = ratio(warm, t -> t.evaluate(), t -> evaluateModel(counted, cpus, t));
        }
        double[][] none = new double[shares.length][0];
        DeviceCalibration ratios = new DeviceCalibration(host, jar, measured, mix, mixCpus, cost, shares, fitRatio,
                evaluateRatio, none, none);
        double[][] fitWarmup = new double[shares.length][warmRounds];
        double[][] evaluateWarmup = new double[shares.length][warmRounds];
        for (int i = 0; i < shares.length; i++) {
            double share = shares[i];
            for (int r = 1; r <= warmRounds; r++) {
                int round = r;
                List<Times> early = containers.stream().filter(t -> t.round() == round
                        && cpus.get(t.clientId()) == share).toList();
                fitWarmup[i][r - 1] = Math.max(0, early.stream().mapToDouble(t -> t.fit()
                        - fitModel(ratios, cpus, t)).average().orElse(0));
                evaluateWarmup[i][r - 1] = Math.max(0, early.stream().mapToDouble(t -> t.evaluate()
                        - evaluateModel(ratios, cpus, t)).average().orElse(0));
            }
        }
        return new DeviceCalibration(host, jar, measured, mix, mixCpus, cost, shares, fitRatio, evaluateRatio,
                fitWarmup, evaluateWarmup);
    }

    /** What work costs in-process: lines through the warm rounds' CPU time (device time times the CPU share). */
    static WorkCost cost(Map<String, Double> cpus, List<Times> warmLocal) {
        double[][] training = warmLocal.stream().map(t -> new double[] {t.steps(), t.examples(),
                t.fit() * speed(cpus, t)}).toArray(double[][]::new);
        double[][] evaluation = warmLocal.stream().map(t -> new double[] {evaluationBatches(t), t.testExamples(),
                t.evaluate() * speed(cpus, t)}).toArray(double[][]::new);
        double[] train = WorkCost.fitLine(training);
        double[] evaluate = WorkCost.fitLine(evaluation);
        return new WorkCost(train[0], train[1], evaluate[0], evaluate[1]);
    }

    private static double fitModel(DeviceCalibration c, Map<String, Double> cpus, Times t) {
        double share = cpus.get(t.clientId());
        return c.cost().training(t.steps(), t.examples()) / TrainingSpeed.of(share) * c.fitRatio(share);
    }

    private static double evaluateModel(DeviceCalibration c, Map<String, Double> cpus, Times t) {
        double share = cpus.get(t.clientId());
        return c.cost().evaluation(evaluationBatches(t), t.testExamples()) / TrainingSpeed.of(share)
                * c.evaluateRatio(share);
    }

    private static int evaluationBatches(Times t) {
        int batch = FlClient.evaluationBatch(t.batchSize());
        return (t.testExamples() + batch - 1) / batch;
    }

    private static double speed(Map<String, Double> cpus, Times t) {
        return TrainingSpeed.of(cpus.get(t.clientId()));
    }

    private static double ratio(List<Times> containers, ToDoubleFunction<Times> measured,
                                ToDoubleFunction<Times> modelled) {
        double m = containers.stream().mapToDouble(measured).sum();
        double p = containers.stream().mapToDouble(modelled).sum();
        return m > 0 && p > 0 ? m / p : 1;
    }

    /** How close a model must come to the containers to count as right: the device model's target. */
    public static final double TARGET = 0.10;

    /**
     * Each client's fit, evaluation and round time in the judged container runs (their {@link #median}) against the
     * in-process model before and after calibration, with the relative errors; beside them, the median of the other
     * container runs ({@code others}, may be empty) against the judged ones: how far containers on this host differ
     * among themselves from run to run, for scale. Then the largest errors, from round 1 on and from round 2 on, and
     * how many of the figures lie within {@link #TARGET}.
     */
    public static String table(Map<String, Double> cpus, List<Times> judged, List<Times> others, List<Times> before,
                               List<Times> after) {
        Map<String, Times> o = byKey(others);
        Map<String, Times> b = byKey(before);
        Map<String, Times> a = byKey(after);
        StringBuilder out = new StringBuilder("| round | client | fit: containers | other container runs "
                + "| uncalibrated | calibrated | evaluation: containers | other container runs | uncalibrated "
                + "| calibrated |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        Errors errors = new Errors();
        for (Times c : judged) {
            Times tb = b.get(key(c));
            Times ta = a.get(key(c));
            if (tb == null || ta == null) {
                continue;
            }
            Times to = o.get(key(c));
            Times[] models = {to, tb, ta};
            out.append(String.format(Locale.ROOT, "| %d | %s (%s CPU) | %.2f s | %s | %s | %s | %.2f s | %s | %s "
                            + "| %s |%n",
                    c.round(), c.clientId(), cpus.get(c.clientId()), c.fit(), cell(to, Times::fit, c),
                    cell(tb, Times::fit, c), cell(ta, Times::fit, c), c.evaluate(), cell(to, Times::evaluate, c),
                    cell(tb, Times::evaluate, c), cell(ta, Times::evaluate, c)));
            errors.add(c, models, 0, Times::fit);
            errors.add(c, models, 1, Times::evaluate);
        }
        out.append("\n| round | round time: containers | other container runs | uncalibrated | calibrated |\n"
                + "|---|---:|---:|---:|---:|\n");
        for (int round : new TreeSet<>(judged.stream().map(Times::round).toList())) {
            Times c = judged.stream().filter(t -> t.round() == round).findFirst().orElseThrow();
            Times to = o.get(key(c));
            Times tb = b.get(key(c));
            Times ta = a.get(key(c));
            if (tb != null && ta != null) {
                out.append(String.format(Locale.ROOT, "| %d | %.2f s | %s | %s | %s |%n", round, c.roundSeconds(),
                        cell(to, Times::roundSeconds, c), cell(tb, Times::roundSeconds, c),
                        cell(ta, Times::roundSeconds, c)));
                errors.add(c, new Times[] {to, tb, ta}, 2, Times::roundSeconds);
            }
        }
        String[] from = {"from round 1", "from round 2"};
        String[] what = {"fit", "evaluation", "round"};
        String bracketed = others.isEmpty() ? "" : "; other container runs in brackets";
        int lines = judged.stream().anyMatch(t -> t.round() > 1) ? 2 : 1;
        for (int f = 0; f < lines; f++) {
            out.append(String.format(Locale.ROOT, "%nlargest error %s (uncalibrated -> calibrated%s):", from[f],
                    bracketed));
            for (int m = 0; m < what.length; m++) {
                out.append(String.format(Locale.ROOT, " %s %.0f %% -> %.0f %%", what[m], errors.worst[f][m][1] * 100,
                        errors.worst[f][m][2] * 100));
                if (!others.isEmpty()) {
                    out.append(String.format(Locale.ROOT, " [%.0f %%]", errors.worst[f][m][0] * 100));
                }
                out.append(m < what.length - 1 ? "," : "");
            }
        }
        out.append(String.format(Locale.ROOT, "%nwithin %.0f %% from round 1 (uncalibrated -> calibrated%s):",
                TARGET * 100, bracketed));
        for (int m = 0; m < what.length; m++) {
            out.append(String.format(Locale.ROOT, " %s %d -> %d of %d", what[m], errors.within[m][1],
                    errors.within[m][2], errors.count[m]));
            if (!others.isEmpty()) {
                out.append(String.format(Locale.ROOT, " [%d]", errors.within[m][0]));
            }
            out.append(m < what.length - 1 ? "," : "");
        }
        return out.append('\n').toString();
    }

    /**
     * The errors of the other container runs, the uncalibrated and the calibrated model, per measure. A figure is
     * within the target at the whole percent the table prints, so that the counts agree with the cells.
     */
    private static final class Errors {
        /** [from round 1, from round 2][fit, evaluation, round][other runs, uncalibrated, calibrated] */
        final double[][][] worst = new double[2][3][3];
        /** From round 1: [fit, evaluation, round][other runs, uncalibrated, calibrated] within the target. */
        final int[][] within = new int[3][3];
        final int[] count = new int[3];

        void add(Times measured, Times[] models, int measure, ToDoubleFunction<Times> value) {
            count[measure]++;
            for (int k = 0; k < models.length; k++) {
                if (models[k] == null) {
                    continue;
                }
                double e = Math.abs(error(value.applyAsDouble(models[k]), value.applyAsDouble(measured)));
                worst[0][measure][k] = Math.max(worst[0][measure][k], e);
                if (measured.round() > 1) {
                    worst[1][measure][k] = Math.max(worst[1][measure][k], e);
                }
                within[measure][k] += Math.round(e * 100) <= Math.round(TARGET * 100) ? 1 : 0;
            }
        }
    }

    private static String cell(Times predicted, ToDoubleFunction<Times> measure, Times measured) {
        if (predicted == null) {
            return "-";
        }
        double p = measure.applyAsDouble(predicted);
        return String.format(Locale.ROOT, "%.2f s (%+.0f %%)", p, error(p, measure.applyAsDouble(measured)) * 100);
    }

    private static double error(double predicted, double measured) {
        return measured > 0 ? predicted / measured - 1 : 0;
    }

    private static Map<String, Times> byKey(List<Times> times) {
        Map<String, Times> map = new LinkedHashMap<>();
        times.forEach(t -> map.put(key(t), t));
        return map;
    }

    private static String key(Times t) {
        return t.round() + ":" + t.clientId();
    }
}
