package io.flhetero.fl.strategy;

import io.flhetero.fl.api.EvaluateOutcome;
import io.flhetero.fl.api.Evaluation;
import io.flhetero.fl.api.Failure;
import io.flhetero.fl.api.FailureReason;
import io.flhetero.fl.api.FitConfig;
import io.flhetero.fl.api.FitInstruction;
import io.flhetero.fl.api.FitOutcome;
import io.flhetero.fl.api.RegisteredClient;
import io.flhetero.policy.StaticPolicy;
import io.flhetero.policy.TrainingPlan;
import io.flhetero.policy.TrainingPolicy;
import io.flhetero.profile.DeadlineSpec;
import io.flhetero.profile.StrategySpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Federated averaging (McMahan et al.): each round samples {@code fraction_fit} of the available clients (at
 * least {@code min_fit_clients}), averages their parameters weighted by their training-set sizes, and averages the
 * federated evaluation weighted by test examples, as the original example's strategy did.
 */
public class FedAvg implements Strategy {

    private final double fractionFit;
    private final int minFitClients;
    private final long seed;
    private final TrainingPolicy policy;
    private final RoundDeadline deadline;
    private final double proximalMu;
    private final int overSelection;
    private final MemoryKills memoryKills;
    private final double fractionEvaluate;
    private final int minEvaluateClients;
    private final Map<String, TrainingPlan> plans = new ConcurrentHashMap<>();

    public FedAvg(StrategySpec spec, long seed, TrainingPolicy policy, MemoryKills memoryKills) {
        this(spec.fractionFit(), spec.minFitClients(), seed, policy, new RoundDeadline(spec.deadline()),
                spec.proximalMu(), spec.overSelection(), memoryKills, spec.fractionEvaluate(),
                spec.minEvaluateClients());
    }

    public FedAvg(double fractionFit, int minFitClients, long seed) {
        this(fractionFit, minFitClients, seed, new StaticPolicy(), new RoundDeadline(DeadlineSpec.NONE), 0, 0,
                new MemoryKills(0));
    }

    /**
     * @param proximalMu    FedProx's mu, sent to every client with its instructions; 0: plain FedAvg
     * @param overSelection clients asked on top of those needed, when there are that many
     */
    public FedAvg(double fractionFit, int minFitClients, long seed, TrainingPolicy policy, RoundDeadline deadline,
                  double proximalMu, int overSelection, MemoryKills memoryKills) {
        this(fractionFit, minFitClients, seed, policy, deadline, proximalMu, overSelection, memoryKills, 1.0, 0);
    }

    /**
     * @param fractionEvaluate   share of the available clients asked to evaluate each round (Flower's name)
     * @param minEvaluateClients fewest asked to evaluate, as far as there are any
     */
    public FedAvg(double fractionFit, int minFitClients, long seed, TrainingPolicy policy, RoundDeadline deadline,
                  double proximalMu, int overSelection, MemoryKills memoryKills, double fractionEvaluate,
                  int minEvaluateClients) {
        this.fractionFit = fractionFit;
        this.minFitClients = minFitClients;
        this.seed = seed;
        this.policy = policy;
        this.deadline = deadline;
        this.proximalMu = proximalMu;
        this.overSelection = overSelection;
        this.memoryKills = memoryKills;
        this.fractionEvaluate = fractionEvaluate;
        this.minEvaluateClients = minEvaluateClients;
    }

    @Override
    public List<FitInstruction> configureFit(int round, float[] global, List<RegisteredClient> available) {
        int wanted = Math.max((int) Math.ceil(fractionFit * available.size()), minFitClients);
        List<RegisteredClient> chosen = sample(available, Math.min(wanted + overSelection, available.size()), round);
        return chosen.stream().map(c -> new FitInstruction(c, round, global, configFor(c, available))).toList();
    }

    /** A client's local work: its plan, with the round's deadline and FedProx's mu. */
    protected FitConfig configFor(RegisteredClient client, List<RegisteredClient> fleet) {
        return planFor(client, fleet).config().withDeadline(deadline.seconds()).withProximalMu(proximalMu);
    }

    @Override
    public int resultsToKeep(List<FitInstruction> asked) {
        // Over-selection keeps all but the last m to finish, and never fewer than min_fit_clients.
        return Math.max(Math.min(minFitClients, asked.size()), asked.size() - overSelection);
    }

    /** Over-selection keeps the {@code keep} results with the least device time; the rest are dropped. */
    @Override
    public KeptResults keep(int keep, List<FitOutcome> results) {
        if (results.size() <= keep) {
            return new KeptResults(results, List.of());
        }
        List<FitOutcome> ranked = results.stream().sorted(Comparator.comparingDouble(FitOutcome::simulatedSeconds))
                .toList();
        double kept = ranked.get(keep - 1).simulatedSeconds();
        List<Failure> dropped = ranked.subList(keep, ranked.size()).stream().map(f -> new Failure(f.clientId(),
                FailureReason.DROPPED, String.format(Locale.ROOT, "over-selected: %.1f s of device time, the %d kept "
                        + "took at most %.1f s", f.simulatedSeconds(), keep, kept))).toList();
        return new KeptResults(ranked.subList(0, keep), dropped);
    }

    /**
     * The client's settings: the policy's, decided once per client, with the batch halved for each time the
     * client was killed for memory.
     */
    public TrainingPlan planFor(RegisteredClient client, List<RegisteredClient> fleet) {
        return plans.computeIfAbsent(client.id(), id -> policy.plan(client, fleet))
                .afterOomKills(memoryKills.of(client.id()));
    }

    /** Each client's plan so far, for a checkpoint. */
    public Map<String, TrainingPlan> plans() {
        return Map.copyOf(plans);
    }

    /** The current deadline in device seconds (0: none), for a checkpoint. */
    public double deadlineSeconds() {
        return deadline.seconds();
    }

    /** Continues from a checkpoint: the plans decided then, and the deadline derived by then. */
    public void restore(Map<String, TrainingPlan> saved, double deadlineSeconds) {
        plans.putAll(saved);
        deadline.restore(deadlineSeconds);
    }

    @Override
    public float[] aggregateFit(int round, float[] global, List<FitOutcome> results, List<Failure> failures) {
        deadline.observe(results);
        // A client stopped before its first batch hands back the global model: it has nothing to add.
        List<FitOutcome> trained = results.stream().filter(r -> r.steps() > 0 && r.examples() > 0).toList();
        return trained.isEmpty() ? global : combine(global, trained);
    }

    /**
     * The new global parameters from at least one result of at least one step: the average weighted by each
     * client's training-set size. Not by the examples it went through this round: a client given more work (the
     * capacity policy's strong device) would then pull the model towards its own data, which on non-IID data cost
     * 4-6 points against waiting for everyone (docs/BENCHMARKS.md).
     */
    protected float[] combine(float[] global, List<FitOutcome> results) {
        List<float[]> vectors = results.stream().map(FitOutcome::parameters).toList();
        double[] weights = results.stream().mapToDouble(FitOutcome::dataExamples).toArray();
        return weightedAverage(vectors, weights);
    }

    @Override
    public List<RegisteredClient> configureEvaluate(int round, List<RegisteredClient> available) {
        if (fractionEvaluate >= 1) {
            return available;
        }
        int wanted = Math.max((int) Math.ceil(fractionEvaluate * available.size()), minEvaluateClients);
        // A draw of its own, so that who evaluates does not follow who trained.
        return sample(available, wanted, EVALUATION_DRAWS + round);
    }

    /** Where evaluation draws start, far from the fit draws (one per round). */
    private static final long EVALUATION_DRAWS = 1L << 32;

    @Override
    public Evaluation aggregateEvaluate(int round, List<EvaluateOutcome> results, List<Failure> failures) {
        long examples = 0;
        double loss = 0;
        double accuracy = 0;
        for (EvaluateOutcome r : results) {
            examples += r.examples();
            loss += r.loss() * r.examples();
            accuracy += r.accuracy() * r.examples();
        }
        return examples == 0 ? Evaluation.NONE : new Evaluation(loss / examples, accuracy / examples, (int) examples);
    }

    /** Sum of w_i * v_i / sum of w_i, accumulated in double so that 100 clients lose no precision. */
    public static float[] weightedAverage(List<float[]> vectors, double[] weights) {
        int n = vectors.get(0).length;
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("aggregation weights add up to " + total + "; every client reported 0 examples");
        }
        double[] sum = new double[n];
        for (int k = 0; k < vectors.size(); k++) {
            float[] v = vectors.get(k);
            if (v.length != n) {
                throw new IllegalArgumentException("client update " + k + " has " + v.length + " parameters, expected " + n);
            }
            double w = weights[k] / total;
            for (int i = 0; i < n; i++) {
                sum[i] += w * v[i];
            }
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) sum[i];
        }
        return out;
    }

    /** A sample drawn from its own seed (the round's), so that a resumed run samples as the uninterrupted one did. */
    protected List<RegisteredClient> sample(List<RegisteredClient> available, int count, long draw) {
        if (count >= available.size()) {
            return available;
        }
        List<RegisteredClient> shuffled = new ArrayList<>(available);
        Collections.shuffle(shuffled, new Random(seed * 1_000_003L + draw));
        return shuffled.subList(0, count);
    }
}
