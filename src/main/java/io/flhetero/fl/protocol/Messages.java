package io.flhetero.fl.protocol;

import io.flhetero.data.ClientData;
import io.flhetero.data.ImageSet;
import io.flhetero.fl.api.EvaluateOutcome;
import io.flhetero.fl.api.FitConfig;
import io.flhetero.fl.api.FitInstruction;
import io.flhetero.fl.api.FitOutcome;
import io.flhetero.fl.api.FitProgress;
import io.flhetero.fl.api.RegisteredClient;
import io.flhetero.model.OptimizerState;
import io.flhetero.profile.ClientSpec;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;

/** The protocol's messages, to and from {@link WireMessage}. Field names are the wire format: keep them stable. */
public final class Messages {

    private Messages() {
    }

    /**
     * A client's registration. It carries no secret: on a clustered bus every message is signed with the run's
     * (WireMessageCodec), so a registration that arrives at all came from a member that knows it.
     */
    public static WireMessage registration(ClientSpec spec, int trainExamples, int testExamples) {
        return WireMessage.of(WireMessage.Kind.REGISTER, new JsonObject()
                .put("processors", Runtime.getRuntime().availableProcessors())
                .put("max_heap", Runtime.getRuntime().maxMemory())
                .put("id", spec.id())
                .put("device", spec.device().name())
                .put("cpus", spec.device().cpus())
                .put("memory", spec.device().memory().bytes())
                .put("batch_size", spec.device().batchSize())
                .put("learning_rate", spec.device().learningRate())
                .put("local_epochs", spec.device().localEpochs())
                .put("train", trainExamples)
                .put("test", testExamples));
    }

    public static RegisteredClient registration(WireMessage message) {
        JsonObject f = message.expect(WireMessage.Kind.REGISTER).fields();
        return new RegisteredClient(f.getString("id"), f.getString("device"), f.getDouble("cpus"), f.getLong("memory"),
                f.getInteger("train"), f.getInteger("test"), f.getInteger("processors", 0), f.getLong("max_heap", 0L),
                FitConfig.epochs(f.getInteger("batch_size"), f.getDouble("learning_rate"), f.getInteger("local_epochs")));
    }

    public static WireMessage ack() {
        return WireMessage.of(WireMessage.Kind.REGISTER, new JsonObject().put("ok", true));
    }

    public static WireMessage shutdown() {
        return WireMessage.of(WireMessage.Kind.SHUTDOWN, new JsonObject());
    }

    public static WireMessage fit(FitInstruction ins) {
        FitConfig c = ins.config();
        return new WireMessage(WireMessage.Kind.FIT, new JsonObject()
                .put("round", ins.round())
                .put("batch_size", c.batchSize())
                .put("learning_rate", c.learningRate())
                .put("local_epochs", c.localEpochs())
                .put("max_steps", c.maxSteps())
                .put("deadline", c.deadlineSeconds())
                .put("proximal_mu", c.proximalMu()), ins.parameters());
    }

    public static int fitRound(WireMessage message) {
        return message.expect(WireMessage.Kind.FIT).fields().getInteger("round");
    }

    public static FitConfig fitConfig(WireMessage message) {
        JsonObject f = message.expect(WireMessage.Kind.FIT).fields();
        return new FitConfig(f.getInteger("batch_size"), f.getDouble("learning_rate"), f.getInteger("local_epochs"),
                f.getInteger("max_steps"), f.getDouble("deadline"), f.getDouble("proximal_mu"));
    }

    public static WireMessage fitResult(FitOutcome o) {
        return new WireMessage(WireMessage.Kind.FIT_RESULT, new JsonObject()
                .put("id", o.clientId())
                .put("examples", o.examples())
                .put("loss", finite(o.trainLoss()))
                .put("accuracy", finite(o.trainAccuracy()))
                .put("fit_seconds", o.fitSeconds())
                .put("simulated_seconds", o.simulatedSeconds())
                .put("batch_size", o.batchSize())
                .put("steps", o.steps())
                .put("memory", o.memoryBytes())
                .put("planned_steps", o.plannedSteps())
                .put("data_examples", o.dataExamples())
                .put("transfer_seconds", o.transferSeconds()), o.parameters());
    }

    public static FitOutcome fitResult(WireMessage message) {
        JsonObject f = message.expect(WireMessage.Kind.FIT_RESULT).fields();
        return new FitOutcome(f.getString("id"), message.parameters(), f.getInteger("examples"), number(f, "loss"),
                number(f, "accuracy"), f.getDouble("fit_seconds"), f.getDouble("simulated_seconds"),
                f.getInteger("batch_size"), f.getInteger("steps"), f.getLong("memory", 0L),
                f.getInteger("planned_steps", f.getInteger("steps")), f.getInteger("data_examples"),
                f.getDouble("transfer_seconds", 0.0));
    }

    public static WireMessage evaluate(int round, float[] parameters) {
        return new WireMessage(WireMessage.Kind.EVALUATE, new JsonObject().put("round", round), parameters);
    }

    public static WireMessage evaluateResult(EvaluateOutcome o) {
        return WireMessage.of(WireMessage.Kind.EVALUATE_RESULT, new JsonObject()
                .put("id", o.clientId())
                .put("loss", finite(o.loss()))
                .put("accuracy", finite(o.accuracy()))
                .put("examples", o.examples())
                .put("simulated_seconds", o.simulatedSeconds())
                .put("transfer_seconds", o.transferSeconds()));
    }

    public static EvaluateOutcome evaluateResult(WireMessage message) {
        JsonObject f = message.expect(WireMessage.Kind.EVALUATE_RESULT).fields();
        return new EvaluateOutcome(f.getString("id"), number(f, "loss"), number(f, "accuracy"), f.getInteger("examples"),
                f.getDouble("simulated_seconds", 0.0), f.getDouble("transfer_seconds", 0.0));
    }

    /**
     * Tells a client still training in {@code round} to stop once its device time reaches {@code seconds}: enough
     * clients have finished, and over-selection keeps the first.
     */
    public static WireMessage cutoff(int round, double seconds) {
        return WireMessage.of(WireMessage.Kind.CUTOFF, new JsonObject().put("round", round).put("seconds", seconds));
    }

    public record Cutoff(int round, double seconds) {
    }

    public static Cutoff cutoff(WireMessage message) {
        JsonObject f = message.expect(WireMessage.Kind.CUTOFF).fields();
        return new Cutoff(f.getInteger("round"), f.getDouble("seconds"));
    }

    public static WireMessage progress(String clientId, int round, int done, int total) {
        return WireMessage.of(WireMessage.Kind.PROGRESS, new JsonObject()
                .put("id", clientId).put("round", round).put("done", done).put("total", total));
    }

    public static FitProgress progress(WireMessage message) {
        JsonObject f = message.expect(WireMessage.Kind.PROGRESS).fields();
        return new FitProgress(f.getString("id"), f.getInteger("round"), f.getInteger("done"), f.getInteger("total"));
    }

    /** Asks a client for its optimizer's state, for a checkpoint. */
    public static WireMessage stateRequest() {
        return WireMessage.of(WireMessage.Kind.STATE, new JsonObject());
    }

    public static WireMessage stateResult(String clientId, OptimizerState state) {
        return new WireMessage(WireMessage.Kind.STATE_RESULT, new JsonObject().put("id", clientId)
                .put("iteration", state.iteration()), state.moments());
    }

    public static OptimizerState stateResult(WireMessage message) {
        JsonObject f = message.expect(WireMessage.Kind.STATE_RESULT).fields();
        return new OptimizerState(message.parameters(), f.getInteger("iteration"));
    }

    /** Gives a client of a resumed run the optimizer state it had at the checkpoint. */
    public static WireMessage restore(OptimizerState state) {
        return new WireMessage(WireMessage.Kind.RESTORE, new JsonObject().put("iteration", state.iteration()),
                state.moments());
    }

    public static OptimizerState restored(WireMessage message) {
        JsonObject f = message.expect(WireMessage.Kind.RESTORE).fields();
        return new OptimizerState(message.parameters(), f.getInteger("iteration"));
    }

    public static WireMessage shareRequest(String clientId) {
        return WireMessage.of(WireMessage.Kind.SHARE, new JsonObject().put("id", clientId));
    }

    public static String shareRequest(WireMessage message) {
        return message.expect(WireMessage.Kind.SHARE).fields().getString("id");
    }

    /**
     * A client's profile (YAML, as the run resolved it) and share of the data: pixels and labels of its train part,
     * then of its test part, as raw bytes.
     */
    public static WireMessage share(String profileYaml, ClientData data) {
        ImageSet train = data.train();
        ImageSet test = data.test();
        ByteBuffer bytes = ByteBuffer.allocate(Math.multiplyExact(train.size() + test.size(), ImageSet.PIXELS + 1));
        bytes.put(train.pixelBytes()).put(train.labelBytes()).put(test.pixelBytes()).put(test.labelBytes());
        return new WireMessage(WireMessage.Kind.SHARE_RESULT, new JsonObject().put("profile", profileYaml)
                .put("train", train.size()).put("test", test.size()), null, bytes.array());
    }

    public static String shareProfile(WireMessage message) {
        return message.expect(WireMessage.Kind.SHARE_RESULT).fields().getString("profile");
    }

    public static ClientData shareData(WireMessage message) {
        JsonObject f = message.expect(WireMessage.Kind.SHARE_RESULT).fields();
        ByteBuffer bytes = ByteBuffer.wrap(message.data());
        ImageSet train = images(bytes, f.getInteger("train"));
        ImageSet test = images(bytes, f.getInteger("test"));
        return new ClientData(train, test);
    }

    private static ImageSet images(ByteBuffer bytes, int n) {
        byte[] pixels = new byte[n * ImageSet.PIXELS];
        byte[] labels = new byte[n];
        bytes.get(pixels).get(labels);
        return ImageSet.wrap(pixels, labels);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** JSON has no NaN: a missing number travels as null and comes back as NaN. */
    private static double number(JsonObject f, String key) {
        Double v = f.getDouble(key);
        return v == null ? Double.NaN : v;
    }
}
