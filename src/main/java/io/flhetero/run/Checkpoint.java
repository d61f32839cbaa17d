package io.flhetero.run;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flhetero.fl.api.FitConfig;
import io.flhetero.policy.TrainingPlan;
import io.flhetero.report.RunDirectory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A run's state after its last completed round: everything {@code run --resume} needs to go on as if it had never
 * stopped. Written after every round to {@value #FILE} in the run directory, atomically (a new file renamed over the
 * old one, after it reached the disk), so a crash at any moment leaves the previous round's or this one's.
 *
 * @param data            what the run trained on ("synthetic: 1000 train / 200 test images"): the data must be
 *                        the same to resume, and synthetic data's size is no part of the profile
 * @param round           the last completed round
 * @param clock           the coordinator's device-time clock then (availability follows it)
 * @param global          the global parameters after it
 * @param plans           each client's training settings, as the policy decided them at the start
 * @param deadlineSeconds a derived deadline's current value (0: none)
 * @param memoryKills     how often each client was killed for memory
 * @param members         the clients still in the run; those lost before stay out after a resume
 * @param summary         what summary.json has collected ({@code RunSummary.state()})
 * @param optimizers      for each client with an optimizer state, the round whose file in
 *                        {@value OptimizerStateFiles#DIRECTORY}/ holds it; a client missing here starts afresh
 */
public record Checkpoint(String data, int round, double clock, float[] global, Map<String, TrainingPlan> plans, double deadlineSeconds,
                         Map<String, Integer> memoryKills, List<String> members, Map<String, Object> summary,
                         Map<String, Integer> optimizers) {

    public static final String FILE = "checkpoint.zip";
    private static final int FORMAT = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    public void write(Path runDir) {
        Path tmp = runDir.resolve(FILE + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
                 ZipOutputStream zip = new ZipOutputStream(Channels.newOutputStream(channel))) {
                zip.setLevel(Deflater.BEST_SPEED); // written every round: speed over size
                entry(zip, "state.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state()));
                entry(zip, "global.f32", floats(global));
                zip.finish();
                channel.force(true);
            }
            Files.move(tmp, runDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(runDir);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the disk is the problem; the message below says so
            }
            throw RunDirectory.cannotWrite(runDir.resolve(FILE), e);
        }
    }

    /** So that the rename itself survives a power loss, not only the file's contents. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** The run directory's checkpoint; empty when the run never completed a round. */
    public static Optional<Checkpoint> read(Path runDir) {
        Path file = runDir.resolve(FILE);
        Map<String, byte[]> entries = new TreeMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CheckpointException(file + " cannot be read (" + e.getMessage() + "); it is written atomically, "
                    + "so the file was changed from outside: start the experiment again");
        }
        try {
            Map<String, Object> state = JSON.readValue(required(entries, "state.json", file),
                    new TypeReference<>() { });
            if (!Integer.valueOf(FORMAT).equals(state.get("format"))) {
                throw new CheckpointException(file + " was written by another version of fl-hetero (format "
                        + state.get("format") + "); resume it with that version");
            }
            Map<String, TrainingPlan> plans = new TreeMap<>();
            cast(state.get("plans")).forEach((id, p) -> plans.put(id, plan(cast(p))));
            Map<String, Integer> optimizers = new TreeMap<>();
            cast(state.get("optimizers")).forEach((id, round) -> optimizers.put(id, ((Number) round).intValue()));
            Map<String, Integer> kills = new TreeMap<>();
            cast(state.get("memory_kills")).forEach((id, n) -> kills.put(id, ((Number) n).intValue()));
            @SuppressWarnings("unchecked")
            List<String> members = (List<String>) state.get("members");
            return Optional.of(new Checkpoint((String) state.get("data"), ((Number) state.get("round")).intValue(),
                    ((Number) state.get("clock")).doubleValue(),
                    floats(required(entries, "global.f32", file)), plans,
                    ((Number) state.get("deadline_seconds")).doubleValue(), kills, members, cast(state.get("summary")),
                    optimizers));
        } catch (IOException | RuntimeException e) {
            if (e instanceof CheckpointException c) {
                throw c;
            }
            throw new CheckpointException(file + " is not a checkpoint fl-hetero can read (" + e + ")");
        }
    }

    private Map<String, Object> state() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("format", FORMAT);
        s.put("data", data);
        s.put("round", round);
        s.put("clock", clock);
        s.put("deadline_seconds", deadlineSeconds);
        Map<String, Object> p = new TreeMap<>();
        plans.forEach((id, plan) -> p.put(id, plan(plan)));
        s.put("plans", p);
        s.put("memory_kills", memoryKills);
        s.put("members", members);
        s.put("optimizers", new TreeMap<>(optimizers));
        s.put("summary", summary);
        return s;
    }

    /** How a checkpoint names the data a run trained on. */
    public static String data(String name, int train, int test) {
        return name + ": " + train + " train / " + test + " test images";
    }

    private static Map<String, Object> plan(TrainingPlan plan) {
        FitConfig c = plan.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch_size", c.batchSize());
        m.put("learning_rate", c.learningRate());
        m.put("local_epochs", c.localEpochs());
        m.put("max_steps", c.maxSteps());
        m.put("reason", plan.reason());
        return m;
    }

    private static TrainingPlan plan(Map<String, Object> m) {
        return new TrainingPlan(new FitConfig(((Number) m.get("batch_size")).intValue(),
                ((Number) m.get("learning_rate")).doubleValue(), ((Number) m.get("local_epochs")).intValue(),
                ((Number) m.get("max_steps")).intValue(), 0, 0), (String) m.get("reason"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }

    private static byte[] required(Map<String, byte[]> entries, String name, Path file) {
        byte[] bytes = entries.get(name);
        if (bytes == null) {
            throw new CheckpointException(file + " lacks " + name + "; start the experiment again");
        }
        return bytes;
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    /** Big-endian floats, as Java's data streams write them. */
    private static byte[] floats(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES);
        bytes.asFloatBuffer().put(values);
        return bytes.array();
    }

    private static float[] floats(byte[] bytes) {
        if (bytes.length % Float.BYTES != 0) {
            throw new CheckpointException("a vector of " + bytes.length + " bytes in the checkpoint; start the "
                    + "experiment again");
        }
        float[] values = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).asFloatBuffer().get(values);
        return values;
    }

    /** A checkpoint that cannot be used: bad input, exit code 2. */
    public static final class CheckpointException extends RuntimeException {
        public CheckpointException(String message) {
            super(message);
        }
    }
}
