package io.flhetero.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flhetero.fl.api.EvaluateOutcome;
import io.flhetero.fl.api.Failure;
import io.flhetero.fl.api.FitOutcome;
import io.flhetero.fl.api.RoundReport;
import io.flhetero.fl.api.RunListener;
import io.flhetero.profile.Profile;
import io.flhetero.profile.ProfileWriter;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code runs/<run-id>/}: the resolved profile, rounds.csv (one row per round and client, written as rounds
 * finish), summary.json (written at the end, also after a failure) and the final global model.
 */
public final class RunDirectory implements RunListener, AutoCloseable {

    public static final String PROFILE = "profile.yaml";
    public static final String ROUNDS = "rounds.csv";
    public static final String SUMMARY = "summary.json";
    public static final String MODEL = "model.zip";

    static final String HEADER = "round,client_id,status,reason,examples,batch_size,steps,planned_steps,fit_seconds,"
            + "simulated_seconds,samples_per_second,train_loss,train_accuracy,test_loss,test_accuracy,test_examples,"
            + "round_seconds,round_simulated_seconds,global_loss,global_accuracy";

    private final Path path;
    private final BufferedWriter rounds;

    private RunDirectory(Path path, BufferedWriter rounds) {
        this.path = path;
        this.rounds = rounds;
    }

    public static RunDirectory create(Path runsDir, String runId, Profile profile) {
        try {
            Path dir = Files.createDirectories(runsDir.resolve(runId));
            Files.writeString(dir.resolve(PROFILE), "# Profile of run " + runId + " as resolved (from "
                    + profile.source() + ", command-line overrides applied)\n" + ProfileWriter.toYaml(profile));
            BufferedWriter rounds = Files.newBufferedWriter(dir.resolve(ROUNDS));
            rounds.write(HEADER);
            rounds.newLine();
            rounds.flush();
            return new RunDirectory(dir, rounds);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run directory under " + runsDir + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public synchronized void roundFinished(RoundReport r) {
        Map<String, FitOutcome> fits = new LinkedHashMap<>();
        r.fits().forEach(f -> fits.put(f.clientId(), f));
        Map<String, EvaluateOutcome> evals = new LinkedHashMap<>();
        r.evaluations().forEach(e -> evals.put(e.clientId(), e));
        Map<String, Failure> failed = new LinkedHashMap<>();
        r.evaluateFailures().forEach(f -> failed.put(f.clientId(), f));
        r.fitFailures().forEach(f -> failed.put(f.clientId(), f));
        Set<String> ids = new LinkedHashSet<>();
        ids.addAll(fits.keySet());
        ids.addAll(failed.keySet());
        ids.addAll(evals.keySet());
        try {
            for (String id : ids.stream().sorted(RunDirectory::byClientNumber).toList()) {
                FitOutcome f = fits.get(id);
                EvaluateOutcome e = evals.get(id);
                Failure x = failed.get(id);
                String status = x != null ? "failed" : f != null ? "ok" : "evaluated";
                rounds.write(String.join(",", Integer.toString(r.round()), id, status,
                        x == null ? "" : x.reason().label(),
                        f == null ? "" : Integer.toString(f.examples()),
                        f == null ? "" : Integer.toString(f.batchSize()),
                        f == null ? "" : Integer.toString(f.steps()),
                        f == null ? "" : Integer.toString(f.plannedSteps()),
                        f == null ? "" : num(f.fitSeconds()),
                        f == null ? "" : num(f.simulatedSeconds()),
                        f == null ? "" : num(f.samplesPerSecond()),
                        f == null ? "" : num(f.trainLoss()),
                        f == null ? "" : num(f.trainAccuracy()),
                        e == null ? "" : num(e.loss()),
                        e == null ? "" : num(e.accuracy()),
                        e == null ? "" : Integer.toString(e.examples()),
                        num(r.wallSeconds()), num(r.simulatedSeconds()),
                        num(r.evaluation().loss()), num(r.evaluation().accuracy())));
                rounds.newLine();
            }
            rounds.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void writeSummary(Map<String, Object> summary) {
        try {
            Path tmp = path.resolve(SUMMARY + ".tmp");
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), summary);
            Files.move(tmp, path.resolve(SUMMARY), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void writeModel(ComputationGraph model) {
        try {
            ModelSerializer.writeModel(model, path.resolve(MODEL).toFile(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            rounds.close();
        } catch (IOException e) {
            // The rows were flushed after each round.
        }
    }

    private static int byClientNumber(String a, String b) {
        String na = a.replaceAll("\\D", "");
        String nb = b.replaceAll("\\D", "");
        if (!na.isEmpty() && !nb.isEmpty() && na.length() < 10 && nb.length() < 10) {
            return Integer.compare(Integer.parseInt(na), Integer.parseInt(nb));
        }
        return a.compareTo(b);
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }
}
