package io.flhetero.monitor;

/**
 * Names of the metrics fl-hetero exports, as Prometheus sees them (a counter gains {@code _total}). The first two
 * are the names the original example's dashboard queries. The others follow Prometheus' conventions: an
 * {@code fl_} prefix, the unit as a suffix, "device" for device time; dashboards depend on them, so a rename is
 * a breaking change to note in the README.
 */
public final class MetricNames {

    public static final String MODEL_ACCURACY = "model_accuracy";
    public static final String MODEL_LOSS = "model_loss";
    public static final String ROUND = "fl_round";
    public static final String ROUNDS_COMPLETED = "fl_rounds_completed";
    /** Asynchronous runs: how many versions old each applied update was, and how many were applied. */
    public static final String UPDATE_STALENESS = "fl_update_staleness";
    public static final String UPDATES_APPLIED = "fl_updates_applied";
    /**
     * Histograms of the rounds' wall and device time: a round too short to be seen between two scrapes is still
     * counted. Prometheus adds the unit: {@code fl_round_duration_seconds_bucket}, {@code fl_round_device_seconds_sum}.
     */
    public static final String ROUND_DURATION = "fl_round_duration";
    public static final String ROUND_DEVICE = "fl_round_device";
    public static final String ROUND_STRAGGLER_WAIT = "fl_round_straggler_wait_seconds";
    public static final String CLIENTS_AVAILABLE = "fl_clients_available";

    public static final String CLIENT_TEST_ACCURACY = "fl_client_test_accuracy";
    public static final String CLIENT_TEST_LOSS = "fl_client_test_loss";
    public static final String CLIENT_TRAIN_ACCURACY = "fl_client_train_accuracy";
    public static final String CLIENT_TRAIN_LOSS = "fl_client_train_loss";
    public static final String CLIENT_FIT_DURATION = "fl_client_fit_duration_seconds";
    public static final String CLIENT_SAMPLES_PER_SECOND = "fl_client_samples_per_second";
    public static final String CLIENT_EXAMPLES = "fl_client_examples";
    public static final String CLIENT_FIT_DEVICE = "fl_client_fit_device_seconds";
    public static final String CLIENT_DEVICE_SECONDS = "fl_client_device_seconds";
    public static final String CLIENT_TRANSFER = "fl_client_transfer_seconds";
    public static final String CLIENT_FAILURES = "fl_client_failures";
    public static final String CLIENT_RESTARTS = "fl_client_restarts";
    public static final String CLIENT_ONLINE = "fl_client_online";
    public static final String RUN_INFO = "fl_run";
    public static final String CLIENT_CPU_LIMIT = "fl_client_cpu_limit";
    public static final String CLIENT_MEMORY_LIMIT = "fl_client_memory_limit_bytes";

    public static final String CLIENT_ID = "client_id";
    public static final String DEVICE_CLASS = "device_class";
    public static final String REASON = "reason";

    private MetricNames() {
    }
}
