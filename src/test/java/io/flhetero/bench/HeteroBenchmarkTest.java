package io.flhetero.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeteroBenchmarkTest {

    private static final String HEADER = "round,client_id,status,reason,examples,batch_size,steps,planned_steps,"
            + "fit_seconds,simulated_seconds,samples_per_second,train_loss,train_accuracy,test_loss,test_accuracy,"
            + "test_examples,round_seconds,round_simulated_seconds,global_loss,global_accuracy";

    @Test
    void roundsAreReadFromRoundsCsvWithBusyAndIdleClientTime(@TempDir Path dir) throws Exception {
        Path csv = Files.write(dir.resolve("rounds.csv"), List.of(HEADER,
                "1,client1,ok,,100,32,4,4,1.0,2.0,100,2.3,0.1,2.3,0.1,50,5.0,8.0,2.3,0.10",
                "1,client2,ok,,100,32,4,4,1.0,8.0,100,2.3,0.1,2.3,0.1,50,5.0,8.0,2.3,0.10",
                "1,client3,failed,dropped,,,,,,,,,,2.3,0.1,50,5.0,8.0,2.3,0.10",
                "2,client1,ok,,100,32,4,4,1.0,3.0,100,2.1,0.3,2.1,0.3,50,5.0,3.0,2.1,0.35",
                "2,client2,evaluated,,,,,,,,,,,2.1,0.4,50,5.0,3.0,2.1,0.35"));
        List<HeteroBenchmark.RoundPoint> points = HeteroBenchmark.points(csv);
        assertEquals(new HeteroBenchmark.RoundPoint(1, 0.10, 8.0, 2.0 + 8.0 + 8.0, 6.0), points.get(0),
                "a dropped client was busy all round; the fast one waited 6 s");
        assertEquals(new HeteroBenchmark.RoundPoint(2, 0.35, 3.0, 3.0, 0.0), points.get(1),
                "a client that only evaluated neither trained nor waited");

        HeteroBenchmark.Result result = new HeteroBenchmark.Result(null, "run", true, points);
        assertEquals(11.0, result.totalSeconds(), 1e-9);
        assertEquals(8.0, result.timeTo(0.1).orElseThrow(), 1e-9);
        assertEquals(11.0, result.timeTo(0.3).orElseThrow(), 1e-9);
        assertEquals(2, result.roundTo(0.3));
        assertTrue(result.timeTo(0.5).isEmpty());
        assertEquals(6.0 / 27.0, result.idleShare(), 1e-9);
        assertEquals(0.35, result.lateAccuracy(), 1e-9, "the last quarter of 2 evaluations: the last one");
        List<HeteroBenchmark.RoundPoint> eight = IntStream.rangeClosed(1, 8)
                .mapToObj(i -> new HeteroBenchmark.RoundPoint(i, i / 10.0, 1, 1, 0)).toList();
        assertEquals(0.75, new HeteroBenchmark.Result(null, "run", true, eight).lateAccuracy(), 1e-9,
                "the mean of the last 2 of 8: 0.7 and 0.8");
    }

    @Test
    void aClientsEvaluationCountsAsBusyNotIdle(@TempDir Path dir) throws Exception {
        // The round: the slow client's fit (8 s), then evaluation (at most 1 s): 9 s. The fast one fitted 2 s and
        // evaluated 1 s: it waited 6 s.
        Path csv = Files.write(dir.resolve("rounds.csv"), List.of(HEADER + ",evaluate_seconds",
                "1,client1,ok,,100,32,4,4,1.0,2.0,100,2.3,0.1,2.3,0.1,50,5.0,9.0,2.3,0.10,1.0",
                "1,client2,ok,,100,32,4,4,1.0,8.0,100,2.3,0.1,2.3,0.1,50,5.0,9.0,2.3,0.10,0.5"));
        assertEquals(new HeteroBenchmark.RoundPoint(1, 0.10, 9.0, 3.0 + 8.5, 6.0 + 0.5),
                HeteroBenchmark.points(csv).get(0));
    }
}
