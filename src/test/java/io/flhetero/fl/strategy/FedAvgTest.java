package io.flhetero.fl.strategy;

import io.flhetero.fl.api.EvaluateOutcome;
import io.flhetero.fl.api.Evaluation;
import io.flhetero.fl.api.Failure;
import io.flhetero.fl.api.FailureReason;
import io.flhetero.fl.api.FitInstruction;
import io.flhetero.fl.api.FitOutcome;
import io.flhetero.fl.api.RegisteredClient;
import io.flhetero.policy.StaticPolicy;
import io.flhetero.profile.DeadlineSpec;
import io.flhetero.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class FedAvgTest {

    private static FitOutcome fit(String id, int examples, float... params) {
        return new FitOutcome(id, params, examples, 1, 0.5, 1, 1, 32, 1);
    }

    @Test
    void averagesParametersWeightedByTrainingExamples() {
        FedAvg fedAvg = new FedAvg(1.0, 1, 1);
        float[] global = fedAvg.aggregateFit(1, new float[] {0, 0}, List.of(
                fit("a", 100, 1f, 10f),
                fit("b", 300, 5f, 2f)), List.of());
        // (100 * 1 + 300 * 5) / 400 = 4, (100 * 10 + 300 * 2) / 400 = 4
        assertArrayEquals(new float[] {4f, 4f}, global, 1e-6f);
    }

    @Test
    void keepsTheGlobalModelWhenNobodyAnswered() {
        float[] global = {1, 2, 3};
        assertSame(global, new FedAvg(1.0, 1, 1).aggregateFit(1, global, List.of(),
                List.of(new Failure("a", FailureReason.TIMEOUT, "late"))));
    }

    @Test
    void averagesEvaluationWeightedByTestExamples() {
        Evaluation e = new FedAvg(1.0, 1, 1).aggregateEvaluate(1, List.of(
                new EvaluateOutcome("a", 2.0, 0.2, 100),
                new EvaluateOutcome("b", 1.0, 0.6, 300)), List.of());
        assertEquals(1.25, e.loss(), 1e-9);
        assertEquals(0.5, e.accuracy(), 1e-9);
        assertEquals(400, e.examples());
    }

    @Test
    void samplesFractionFitButAtLeastMinFitClients() {
        List<RegisteredClient> ten = IntStream.rangeClosed(1, 10)
                .mapToObj(i -> Fixtures.registered("client" + i, 1, 1 << 30, 10, 2)).toList();
        assertEquals(3, new FedAvg(0.3, 2, 1).configureFit(1, new float[1], ten).size());
        assertEquals(5, new FedAvg(0.3, 5, 1).configureFit(1, new float[1], ten).size());
        assertEquals(10, new FedAvg(1.0, 2, 1).configureFit(1, new float[1], ten).size());
        List<FitInstruction> sampled = new FedAvg(0.5, 1, 7).configureFit(1, new float[1], ten);
        assertEquals(5, sampled.stream().map(i -> i.client().id()).distinct().count());
    }

    @Test
    void fractionEvaluateAsksASampleOfItsOwnEachRound() {
        List<RegisteredClient> hundred = IntStream.rangeClosed(1, 100)
                .mapToObj(i -> Fixtures.registered("client" + i, 1, 1 << 30, 10, 2)).toList();
        FedAvg tenth = new FedAvg(1.0, 1, 7, new StaticPolicy(), new RoundDeadline(DeadlineSpec.NONE), 0, 0,
                new MemoryKills(0), 0.1, 15);
        List<RegisteredClient> round1 = tenth.configureEvaluate(1, hundred);
        assertEquals(15, round1.size(), "10 % of 100, but at least min_evaluate_clients");
        assertEquals(round1, tenth.configureEvaluate(1, hundred), "the same round draws the same (a resume does)");
        assertNotEquals(round1, tenth.configureEvaluate(2, hundred), "another round, others");
        List<String> trained = tenth.configureFit(1, new float[1], hundred).stream().map(i -> i.client().id())
                .toList();
        assertEquals(100, trained.size(), "fraction_fit 1.0: everyone trains");
        assertEquals(hundred, new FedAvg(1.0, 1, 7).configureEvaluate(1, hundred), "by default everyone evaluates");
        FedAvg halfFit = new FedAvg(0.1, 1, 7, new StaticPolicy(), new RoundDeadline(DeadlineSpec.NONE), 0, 0,
                new MemoryKills(0), 0.1, 1);
        assertNotEquals(halfFit.configureFit(3, new float[1], hundred).stream().map(FitInstruction::client).toList(),
                halfFit.configureEvaluate(3, hundred), "who evaluates does not follow who trained");
    }

    @Test
    void overSelectionAsksMoreAndKeepsAllButTheLastToFinish() {
        List<RegisteredClient> ten = IntStream.rangeClosed(1, 10)
                .mapToObj(i -> Fixtures.registered("client" + i, 1, 1 << 30, 10, 2)).toList();
        FedAvg half = over(0.5, 1, 2);
        List<FitInstruction> asked = half.configureFit(1, new float[1], ten);
        assertEquals(7, asked.size(), "5 needed and 2 more");
        assertEquals(5, half.resultsToKeep(asked));
        FedAvg all = over(1.0, 8, 3);
        List<FitInstruction> everyone = all.configureFit(1, new float[1], ten);
        assertEquals(10, everyone.size(), "there are no more to ask");
        assertEquals(8, all.resultsToKeep(everyone), "never fewer than min_fit_clients");
        FedAvg none = over(1.0, 2, 0);
        assertEquals(10, none.resultsToKeep(none.configureFit(1, new float[1], ten)));
    }

    private static FedAvg over(double fraction, int minFit, int extra) {
        return new FedAvg(fraction, minFit, 1, new StaticPolicy(), new RoundDeadline(DeadlineSpec.NONE), 0, extra,
                new MemoryKills(0));
    }
}
