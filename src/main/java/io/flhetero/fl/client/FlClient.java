package io.flhetero.fl.client;

import io.flhetero.data.ClientData;
import io.flhetero.data.ImageSet;
import io.flhetero.data.Permutation;
import io.flhetero.fl.api.EvaluateOutcome;
import io.flhetero.fl.api.FitConfig;
import io.flhetero.model.Network;
import io.flhetero.model.OptimizerState;
import io.flhetero.model.Step;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One federated client's learning: it takes the global parameters, trains on its own split for a number of local
 * epochs, and evaluates global models on its test split. It keeps its Adam state across rounds, as a Keras client
 * does, in the network of its {@link ClientModel} (its own, or one lent by a pool). Not thread-safe: one call at a
 * time.
 */
public final class FlClient {

    /** The largest batch evaluation uses; a client never evaluates in larger batches than it trains in. */
    private static final int EVAL_BATCH = 256;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final String id;
    private final ClientModel model;
    private final ClientData data;
    private final long seed;
    private volatile boolean stopping;

    public FlClient(String id, ClientModel model, ClientData data, long seed) {
        this.id = id;
        this.model = model;
        this.data = data;
        this.seed = seed;
    }

    public String id() {
        return id;
    }

    public ClientData data() {
        return data;
    }

    /** The optimizer's state between rounds, for a checkpoint. */
    public OptimizerState optimizerState() {
        return model.optimizerState();
    }

    public void restoreOptimizerState(OptimizerState state) {
        model.restoreOptimizerState(state);
    }

    /** Asks a fit in progress to end after its current batch. */
    public void stop() {
        stopping = true;
    }

    public LocalTraining fit(int round, float[] global, int batchSize, double learningRate, int localEpochs,
                             TrainingProgress progress) {
        return fit(round, global, FitConfig.epochs(batchSize, learningRate, localEpochs), StopCondition.NEVER, progress);
    }

    /**
     * Trains from the global parameters.
     *
     * @param stop asked after each batch, for deadlines: a stopped fit returns the steps it did
     */
    public LocalTraining fit(int round, float[] global, FitConfig work, StopCondition stop, TrainingProgress progress) {
        try {
            return model.fit(network -> {
                network.writeParameters(global);
                network.setLearningRate(work.learningRate());
                network.setProximalTerm(global, work.proximalMu());
                try {
                    return train(network, round, work, stop, progress);
                } finally {
                    network.setProximalTerm(global, 0);
                }
            });
        } finally {
            NativeGarbage.release();
        }
    }

    private LocalTraining train(Network model, int round, FitConfig work, StopCondition stop,
                                TrainingProgress progress) {
        int batchSize = work.batchSize();
        int localEpochs = work.localEpochs();
        int maxSteps = work.maxSteps();
        ImageSet train = data.train();
        int batchesPerEpoch = (train.size() + batchSize - 1) / batchSize;
        int total = maxSteps > 0 ? Math.min(maxSteps, batchesPerEpoch * localEpochs) : batchesPerEpoch * localEpochs;
        SplittableRandom random = new SplittableRandom(seed * 31 + round);
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long wallStart = System.nanoTime();
        double lossSum = 0;
        int examples = 0;
        int steps = 0;
        // Training accuracy as Keras reports it: the share of the last epoch's examples that the training steps'
        // forward passes classified right (no pass of its own, so it costs nothing and is timed with the fit).
        int epochCorrect = 0;
        int epochExamples = 0;
        boolean counted = true;
        boolean stopped = false;
        for (int epoch = 0; epoch < localEpochs && !stopping && !stopped && steps < total; epoch++) {
            epochCorrect = 0;
            epochExamples = 0;
            int[] order = Permutation.shuffled(train.size(), random);
            for (int from = 0; from < order.length && !stopping && steps < total; from += batchSize) {
                int to = Math.min(order.length, from + batchSize);
                DataSet batch = train.subset(Arrays.copyOfRange(order, from, to)).toDataSet();
                model.beforeStep(steps + 1);
                Step step = model.fit(batch.getFeatures(), batch.getLabels());
                lossSum += step.loss() * (to - from);
                epochCorrect += step.correct();
                epochExamples += to - from;
                counted &= step.correct() >= 0;
                batch.getFeatures().close();
                batch.getLabels().close();
                examples += to - from;
                progress.batchDone(++steps, total);
                if (stop.reached(new Work(steps, examples, (System.nanoTime() - wallStart) / 1e9,
                        (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9))) {
                    stopped = true;
                    break;
                }
            }
        }
        double wall = (System.nanoTime() - wallStart) / 1e9;
        double cpu = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        double accuracy = counted && epochExamples > 0 ? epochCorrect / (double) epochExamples : Double.NaN;
        return new LocalTraining(model.readParameters(), examples, steps, total, batchSize,
                examples == 0 ? Double.NaN : lossSum / examples, accuracy, wall, cpu);
    }

    /** Loss (categorical cross-entropy) and accuracy of the given parameters on this client's test split. */
    public EvaluateOutcome evaluate(float[] global) {
        return evaluate(global, EVAL_BATCH);
    }

    /**
     * @param trainingBatch the batch size the client trains with: evaluation never uses a larger one, so that it
     *                      never needs more memory than training (a device sized for batch 64 is killed at 256)
     */
    public EvaluateOutcome evaluate(float[] global, int trainingBatch) {
        try {
            Score score = model.score(network -> {
                network.writeParameters(global);
                return score(network, data.test(), evaluationBatch(trainingBatch));
            });
            return new EvaluateOutcome(id, score.loss(), score.accuracy(), data.test().size());
        } finally {
            NativeGarbage.release();
        }
    }

    /** The batch size evaluation uses for a client that trains at {@code trainingBatch}. */
    public static int evaluationBatch(int trainingBatch) {
        return Math.min(EVAL_BATCH, trainingBatch);
    }

    private record Score(double loss, double accuracy) {
    }

    private static Score score(Network model, ImageSet subset, int batchSize) {
        double loss = 0;
        int correct = 0;
        for (int from = 0; from < subset.size(); from += batchSize) {
            int to = Math.min(subset.size(), from + batchSize);
            DataSet batch = subset.toDataSet(from, to);
            INDArray probabilities = model.output(batch.getFeatures());
            float[] p = probabilities.dup().data().asFloat();
            batch.getFeatures().close();
            for (int i = 0; i < to - from; i++) {
                int label = subset.label(from + i);
                int best = 0;
                for (int c = 1; c < ImageSet.CLASSES; c++) {
                    if (p[i * ImageSet.CLASSES + c] > p[i * ImageSet.CLASSES + best]) {
                        best = c;
                    }
                }
                correct += best == label ? 1 : 0;
                // Keras clips probabilities to [1e-7, 1 - 1e-7] before the log.
                loss -= Math.log(Math.min(1 - 1e-7, Math.max(1e-7, p[i * ImageSet.CLASSES + label])));
            }
        }
        int n = subset.size();
        return n == 0 ? new Score(Double.NaN, Double.NaN) : new Score(loss / n, correct / (double) n);
    }
}
