package io.flhetero.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flhetero.fl.api.AsyncUpdate;
import io.flhetero.fl.api.EvaluateOutcome;
import io.flhetero.fl.api.Failure;
import io.flhetero.fl.api.FitOutcome;
import io.flhetero.fl.api.RegisteredClient;
import io.flhetero.fl.api.RoundReport;
import io.flhetero.fl.api.RunListener;
import io.flhetero.profile.AvailabilitySpec;
import io.flhetero.profile.DeviceClass;
import io.flhetero.profile.Profile;
import io.flhetero.profile.ProfileWriter;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code runs/<run-id>/}: the resolved profile, rounds.csv (one row per round and client, written as rounds
 * finish), availability.csv (when clients went offline and came back, with churn), summary.json (written at the
 * end, also after a failure) and the final global model.
 */
public final class RunDirectory implements RunListener, AutoCloseable {

    public static final String PROFILE = "profile.yaml";
    public static final String ROUNDS = "rounds.csv";
    public static final String SUMMARY = "summary.json";
    public static final String MODEL = "model.zip";
    public static final String AVAILABILITY = "availability.csv";
    static final String AVAILABILITY_HEADER = "client_id,online,device_seconds";

    static final String HEADER = "round,client_id,status,reason,examples,batch_size,steps,planned_steps,fit_seconds,"
            + "simulated_seconds,samples_per_second,train_loss,train_accuracy,test_loss,test_accuracy,test_examples,"
            + "round_seconds,round_simulated_seconds,global_loss,global_accuracy,base_version,staleness,update_weight,"
            + "transfer_seconds,evaluate_seconds,finished_at,memory_bytes"; // new columns go last: a resumed run's older rows keep theirs

    /** Held while a run writes its directory; the system releases it when the process ends, however it ends. */
    public static final String LOCK = "run.lock";

    private final Path path;
    private final FileChannel lock;
    private final BufferedWriter rounds;
    /** Opened at the first change of availability: runs without churn have no such file. */
    private BufferedWriter availability;

    private RunDirectory(Path path, FileChannel lock, BufferedWriter rounds) {
        this.path = path;
        this.lock = lock;
        this.rounds = rounds;
        HELD_HERE.add(path.toAbsolutePath().normalize());
    }

    /**
     * The run directories this process holds. {@link #live} must not open their lock files: the JDK's locks are
     * POSIX record locks, and closing any descriptor of a file drops every lock the process holds on it.
     */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    public static RunDirectory create(Path runsDir, String runId, Profile profile) {
        FileChannel lock = null;
        try {
            Path dir = Files.createDirectories(runsDir.resolve(runId));
            lock = lock(dir, runId);
            Files.writeString(dir.resolve(PROFILE), "# Profile of run " + runId + " as resolved (from "
                    + profile.source() + ", command-line overrides applied)\n"
                    + ProfileWriter.toYaml(withTracesIn(dir, profile)));
            BufferedWriter rounds = Files.newBufferedWriter(dir.resolve(ROUNDS));
            rounds.write(HEADER);
            rounds.newLine();
            rounds.flush();
            return new RunDirectory(dir, lock, rounds);
        } catch (IOException e) {
            closeQuietly(lock);
            throw new UncheckedIOException("cannot write the run directory under " + runsDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a stopped run's directory to go on from its round {@code keepRounds}: rounds.csv keeps the rows up to
     * it (a round that finished after the checkpoint was written is run again) and grows from there;
     * availability.csv keeps the changes up to the checkpoint's device time {@code keepSeconds}.
     *
     * @throws RunLiveException when another process still holds the run
     */
    public static RunDirectory reopen(Path dir, String runId, int keepRounds, double keepSeconds) {
        FileChannel lock = null;
        try {
            lock = lock(dir, runId);
            Path csv = dir.resolve(ROUNDS);
            List<String> kept = new ArrayList<>(List.of(HEADER));
            if (Files.exists(csv)) {
                Files.readAllLines(csv).stream().skip(1).filter(row -> roundOf(row) <= keepRounds).forEach(kept::add);
            }
            replace(csv, kept);
            Path changes = dir.resolve(AVAILABILITY);
            if (Files.exists(changes)) {
                replace(changes, Files.readAllLines(changes).stream().filter(row -> row.equals(AVAILABILITY_HEADER)
                        || secondsOf(row) <= keepSeconds).toList());
            }
            return new RunDirectory(dir, lock, Files.newBufferedWriter(csv, StandardOpenOption.APPEND));
        } catch (IOException e) {
            closeQuietly(lock);
            throw new UncheckedIOException("cannot reopen the run directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The profile with each availability trace copied into the run directory and named relative to it: the run
     * keeps what it ran on, a resume finds it, and client containers, which mount the directory, read it there.
     */
    private static Profile withTracesIn(Path dir, Profile profile) throws IOException {
        List<DeviceClass> devices = new ArrayList<>();
        for (DeviceClass d : profile.devices()) {
            AvailabilitySpec a = d.availability();
            if (a.trace() == null) {
                devices.add(d);
                continue;
            }
            Path copy = Path.of("trace-" + d.name() + ".csv");
            Files.copy(a.trace(), dir.resolve(copy), StandardCopyOption.REPLACE_EXISTING);
            devices.add(d.withAvailability(new AvailabilitySpec(a.online(), a.session(), copy)));
        }
        return profile.withDevices(devices);
    }

    private static void replace(Path file, List<String> lines) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, lines);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static double secondsOf(String availabilityRow) {
        try {
            return Double.parseDouble(availabilityRow.substring(availabilityRow.lastIndexOf(',') + 1));
        } catch (NumberFormatException e) {
            return Double.POSITIVE_INFINITY; // a row cut short by a crash
        }
    }

    /**
     * A file of a run directory that cannot be written, most often a full disk: what, where, and what is kept. The
     * checkpoint is replaced only by a complete new one, so the last completed round's survives.
     */
    public static UncheckedIOException cannotWrite(Path file, IOException e) {
        return cannotWrite(file, file.getParent(), e);
    }

    /** As {@link #cannotWrite(Path, IOException)}, for a file in a folder of run directory {@code runDir}. */
    public static UncheckedIOException cannotWrite(Path file, Path runDir, IOException e) {
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                : e.getMessage() != null ? e.getMessage() : e.toString();
        return new UncheckedIOException("cannot write " + file + ": " + reason + ". Free space on its disk, or give "
                + "--runs-dir on another; the checkpoint of the last completed round is kept and `run --resume "
                + runDir.getFileName() + "` goes on from it", e);
    }

    /** Whether a process holds the run now (it is running, or resuming). */
    public static boolean live(Path dir) {
        if (HELD_HERE.contains(dir.toAbsolutePath().normalize())) {
            return true;
        }
        Path lock = dir.resolve(LOCK);
        if (!Files.exists(lock)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.READ)) {
            var held = channel.tryLock(0, Long.MAX_VALUE, true);
            if (held == null) {
                return true;
            }
            held.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // this process holds it through another channel
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the run directory's summary says the run completed. */
    public static boolean completed(Path dir) {
        Path summary = dir.resolve(SUMMARY);
        try {
            return Files.exists(summary)
                    && "completed".equals(new ObjectMapper().readTree(summary.toFile()).path("status").asText());
        } catch (IOException e) {
            return false; // a summary cut short by a crash: the run did not complete
        }
    }

    /** Writes rounds.csv through to the disk. */
    public synchronized void sync() {
        try {
            rounds.flush();
            try (FileChannel channel = FileChannel.open(path.resolve(ROUNDS), StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        } catch (IOException e) {
            throw cannotWrite(path.resolve(ROUNDS), e);
        }
    }

    /** Refuses a run that a live process still holds, before any work for a resume is done. */
    public static void requireNotLive(Path dir, String runId) {
        try {
            lock(dir, runId).close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + dir.resolve(LOCK) + ": " + e.getMessage(), e);
        }
    }

    private static int roundOf(String row) {
        try {
            return Integer.parseInt(row.substring(0, row.indexOf(',')));
        } catch (RuntimeException e) {
            return Integer.MAX_VALUE; // not a row this version wrote: dropped
        }
    }

    private static FileChannel lock(Path dir, String runId) throws IOException {
        FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (channel.tryLock() == null) {
                throw new RunLiveException(runId);
            }
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new RunLiveException(runId);
        } catch (RunLiveException | IOException e) {
            channel.close();
            throw e;
        }
        return channel;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Released with the process anyway.
            }
        }
    }

    /** Another process (or this one) is running the run: bad input, exit 2. */
    public static final class RunLiveException extends RuntimeException {
        public RunLiveException(String runId) {
            super("run " + runId + " is live: another fl-hetero process holds its directory; wait for it to end or "
                    + "stop it first (Ctrl-C, or `fl-hetero stop " + runId + " --force` for its containers)");
        }
    }

    public Path path() {
        return path;
    }

    /**
     * One row per client of the round: its fit, its failure, its evaluation. In an asynchronous run (FedBuff) one
     * row per update, in the order they were applied (a fast client may have several), with the version it trained
     * on, its staleness and weight; then failures and evaluations.
     */
    @Override
    public synchronized void roundFinished(RoundReport r) {
        try {
            if (r.asynchronous()) {
                for (AsyncUpdate u : r.updates()) {
                    row(r, u.outcome().clientId(), "ok", u.outcome(), null, null, u);
                }
                r.fitFailures().forEach(f -> row(r, f.clientId(), "failed", null, null, f, null));
                r.evaluations().forEach(e -> row(r, e.clientId(), "evaluated", null, e, null, null));
            } else {
                synchronousRows(r);
            }
            rounds.flush();
        } catch (IOException e) {
            throw cannotWrite(path.resolve(ROUNDS), e);
        } catch (UncheckedIOException e) {
            throw cannotWrite(path.resolve(ROUNDS), e.getCause());
        }
    }

    private void synchronousRows(RoundReport r) {
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
        for (String id : ids.stream().sorted(RegisteredClient::compareIds).toList()) {
            FitOutcome f = fits.get(id);
            Failure x = failed.get(id);
            row(r, id, x != null ? "failed" : f != null ? "ok" : "evaluated", f, evals.get(id), x, null);
        }
    }

    private void row(RoundReport r, String id, String status, FitOutcome f, EvaluateOutcome e, Failure x,
                     AsyncUpdate u) {
        String finishedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        try {
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
                    num(r.evaluation().loss()), num(r.evaluation().accuracy()),
                    u == null ? "" : Integer.toString(u.baseVersion()),
                    u == null ? "" : Integer.toString(u.staleness()),
                    u == null ? "" : num(u.weight()),
                    f == null ? "" : num(f.transferSeconds()),
                    e == null ? "" : num(e.simulatedSeconds()),
                    finishedAt,
                    f == null || f.memoryBytes() <= 0 ? "" : Long.toString(f.memoryBytes())));
            rounds.newLine();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public void writeSummary(Map<String, Object> summary) {
        try {
            Path tmp = path.resolve(SUMMARY + ".tmp");
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), summary);
            Files.move(tmp, path.resolve(SUMMARY), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw cannotWrite(path.resolve(SUMMARY), e);
        }
    }

    public void writeModel(ComputationGraph model) {
        try {
            ModelSerializer.writeModel(model, path.resolve(MODEL).toFile(), false);
        } catch (IOException e) {
            throw cannotWrite(path.resolve(MODEL), e);
        }
    }

    /** One row per change: who went offline or came back online, and when on the device-time clock. */
    @Override
    public synchronized void availabilityChanged(String clientId, boolean online, double deviceSeconds) {
        Path file = path.resolve(AVAILABILITY);
        try {
            if (availability == null) {
                boolean fresh = !Files.exists(file);
                availability = Files.newBufferedWriter(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                if (fresh) {
                    availability.write(AVAILABILITY_HEADER);
                    availability.newLine();
                }
            }
            availability.write(clientId + "," + online + "," + String.format(Locale.ROOT, "%.3f", deviceSeconds));
            availability.newLine();
            availability.flush();
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            rounds.close();
            if (availability != null) {
                availability.close();
            }
        } catch (IOException e) {
            // The rows were flushed as they were written.
        }
        HELD_HERE.remove(path.toAbsolutePath().normalize());
        closeQuietly(lock);
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }
}
