package io.flhetero.testing;

import io.flhetero.data.Dataset;
import io.flhetero.data.DatasetResolver;
import io.flhetero.fl.api.RoundReport;
import io.flhetero.fl.api.RunListener;
import io.flhetero.profile.Profile;
import io.flhetero.run.FederatedRun;
import io.flhetero.run.RunSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runs a test class started on a shared engine: the only ones its clean-up may touch. With the small
 * synthetic data and the per-round accuracies the runtime tests compare between runtimes.
 */
public final class OwnRuns {

    private final Set<String> ids = ConcurrentHashMap.newKeySet();

    /** Notes the run as ours, before it starts anything. */
    public FederatedRun started(FederatedRun run) {
        ids.add(run.id());
        return run;
    }

    /** Notes a run started another way (a command, a child JVM) as ours. */
    public void add(String runId) {
        ids.add(runId);
    }

    public Set<String> ids() {
        return Set.copyOf(ids);
    }

    /** Synthetic images, {@code examples} of them, for plumbing: no accuracy claim rests on them. */
    public static Dataset synthetic(Profile profile, int examples) {
        return new DatasetResolver(null, null, false, examples, null, m -> { })
                .resolve("synthetic", profile.dataset().seed());
    }

    /** Runs the profile on 400 synthetic images; each round's global accuracy. */
    public List<Double> accuracies(Profile profile, RunSettings settings) throws Exception {
        List<Double> accuracies = new ArrayList<>();
        started(new FederatedRun(profile, synthetic(profile, 400), settings, new RunListener() {
            @Override
            public void roundFinished(RoundReport report) {
                accuracies.add(report.evaluation().accuracy());
            }
        })).execute();
        return accuracies;
    }
}
