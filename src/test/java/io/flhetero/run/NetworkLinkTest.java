package io.flhetero.run;

import io.flhetero.data.Dataset;
import io.flhetero.data.SyntheticCifar;
import io.flhetero.fl.api.FitOutcome;
import io.flhetero.fl.api.RoundReport;
import io.flhetero.fl.api.RunListener;
import io.flhetero.profile.Profile;
import io.flhetero.profile.ProfileOverrides;
import io.flhetero.profile.ProfileReader;
import io.flhetero.report.RunDirectory;
import io.flhetero.report.RunSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A device on a slow link, in-process: its transfers add to its device time, exactly. Synthetic data: plumbing. */
class NetworkLinkTest {

    @Test
    void aSlowLinkAddsItsTransferTimeToTheDevicesTime(@TempDir Path runs) throws Exception {
        Profile profile = ProfileReader.parse("link.yaml", """
                rounds: 1
                devices:
                  - {name: wired, cpus: 1, memory: 2g, batch_size: 32, learning_rate: 0.01}
                  - {name: phone, cpus: 1, memory: 2g, batch_size: 32, learning_rate: 0.01,
                     link: {down: 8mbit, up: 2mbit, latency: 80ms}}
                dataset: {name: synthetic, data_percentage: 1.0, test_split: 0.2}
                model: {alpha: 0.1, batchnorm_momentum: 0.9}
                strategy: {min_fit_clients: 2, round_timeout: 5m}
                """, ProfileOverrides.NONE);
        Dataset data = new Dataset("synthetic", "test", true, SyntheticCifar.generate(200, 1),
                SyntheticCifar.generate(50, 2));
        List<FitOutcome> fits = new ArrayList<>();
        FederatedRun run = new FederatedRun(profile, data, new RunSettings(runs, "127.0.0.1", 0,
                Duration.ofSeconds(60)), new RunListener() {
                    @Override
                    public void roundFinished(RoundReport report) {
                        fits.addAll(report.fits());
                    }
                });
        assertEquals(RunSummary.Status.COMPLETED, run.execute().status());

        FitOutcome wired = fits.stream().filter(f -> f.clientId().equals("client1")).findFirst().orElseThrow();
        FitOutcome phone = fits.stream().filter(f -> f.clientId().equals("client2")).findFirst().orElseThrow();
        long bytes = (long) phone.parameters().length * Float.BYTES;
        double expected = 0.08 + bytes * 8.0 / 8e6 + 0.08 + bytes * 8.0 / 2e6;
        assertEquals(expected, phone.transferSeconds(), 1e-9, "down and up: latency + payload / bandwidth each");
        assertEquals(0.0, wired.transferSeconds(), "an unlimited link takes no time");
        assertTrue(phone.simulatedSeconds() > expected, "device time is training plus transfers: "
                + phone.simulatedSeconds());

        List<String> rows = Files.readAllLines(run.directory().path().resolve(RunDirectory.ROUNDS));
        int column = Arrays.asList(rows.get(0).split(",")).indexOf("transfer_seconds");
        String phoneRow = rows.stream().filter(r -> r.startsWith("1,client2,")).findFirst().orElseThrow();
        assertEquals(expected, Double.parseDouble(phoneRow.split(",", -1)[column]), 1e-4, "rounds.csv says so");
    }
}
