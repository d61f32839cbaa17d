package io.flhetero.fl.availability;

import io.flhetero.profile.AvailabilitySpec;
import io.flhetero.profile.ClientSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * Each client's online intervals: from its device class's model (sessions of exponential length around the mean,
 * offline gaps sized so that the share online is the one asked for; seeded per client, generated as far as the
 * run gets) or from a trace file. Clients of classes without availability are always online.
 */
public final class OnlineIntervals implements Availability {

    /** One client's intervals [start, end), sorted, and how to make more. */
    private static final class Timeline {
        final List<double[]> online = new ArrayList<>();
        final SplittableRandom random;
        final double meanOnline;
        final double meanOffline;
        double generatedTo;
        boolean onlineNext;

        Timeline(SplittableRandom random, double meanOnline, double meanOffline, boolean startsOnline) {
            this.random = random;
            this.meanOnline = meanOnline;
            this.meanOffline = meanOffline;
            this.onlineNext = startsOnline;
        }

        /** A trace's: complete, nothing to generate. */
        Timeline(List<double[]> intervals) {
            this(null, 0, 0, false);
            online.addAll(intervals);
            generatedTo = Double.POSITIVE_INFINITY;
        }

        void coverUntil(double t) {
            while (generatedTo <= t) {
                double length = -Math.log(1 - random.nextDouble()) * (onlineNext ? meanOnline : meanOffline);
                if (onlineNext) {
                    online.add(new double[] {generatedTo, generatedTo + length});
                }
                generatedTo += length;
                onlineNext = !onlineNext;
            }
        }
    }

    private final Map<String, Timeline> timelines = new HashMap<>();

    private OnlineIntervals() {
    }

    /**
     * @throws AvailabilityException when a trace file cannot be read or has a bad line
     */
    public static Availability of(List<ClientSpec> clients, long seed) {
        if (clients.stream().allMatch(c -> c.device().availability().always())) {
            return ALWAYS;
        }
        OnlineIntervals intervals = new OnlineIntervals();
        Map<Path, Map<String, List<double[]>>> traces = new HashMap<>();
        for (ClientSpec c : clients) {
            AvailabilitySpec spec = c.device().availability();
            if (spec.always()) {
                continue;
            }
            if (spec.trace() != null) {
                List<double[]> rows = traces.computeIfAbsent(spec.trace(), OnlineIntervals::read)
                        .getOrDefault(c.id(), List.of());
                intervals.timelines.put(c.id(), new Timeline(rows));
            } else {
                double session = spec.session().toMillis() / 1e3;
                SplittableRandom random = new SplittableRandom(seed * 7_919L + c.index());
                intervals.timelines.put(c.id(), new Timeline(random, session, session * (1 - spec.online())
                        / spec.online(), random.nextDouble() < spec.online()));
            }
        }
        return intervals;
    }

    @Override
    public synchronized boolean online(String clientId, double t) {
        Timeline line = timelines.get(clientId);
        if (line == null) {
            return true;
        }
        line.coverUntil(t);
        return line.online.stream().anyMatch(i -> i[0] <= t && t < i[1]);
    }

    @Override
    public synchronized OptionalDouble offlineBetween(String clientId, double from, double to) {
        Timeline line = timelines.get(clientId);
        if (line == null) {
            return OptionalDouble.empty();
        }
        line.coverUntil(to);
        if (!online(clientId, from)) {
            return OptionalDouble.of(from);
        }
        for (double[] i : line.online) {
            if (i[0] <= from && from < i[1]) {
                return i[1] < to ? OptionalDouble.of(i[1]) : OptionalDouble.empty();
            }
        }
        return OptionalDouble.of(from);
    }

    @Override
    public synchronized double nextOnline(String clientId, double t) {
        Timeline line = timelines.get(clientId);
        if (line == null || online(clientId, t)) {
            return t;
        }
        for (int generated = 0; generated < 1_000_000; generated++) {
            for (double[] i : line.online) {
                if (i[0] >= t) {
                    return i[0];
                }
            }
            if (line.generatedTo == Double.POSITIVE_INFINITY) {
                return Double.POSITIVE_INFINITY;
            }
            line.coverUntil(line.generatedTo + line.meanOnline + line.meanOffline);
        }
        return Double.POSITIVE_INFINITY;
    }

    /** client_id,start_seconds,end_seconds per line; '#' starts a comment; a header line is allowed. */
    private static Map<String, List<double[]>> read(Path file) {
        Map<String, List<double[]>> byClient = new HashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new AvailabilityException("availability trace " + file + " cannot be read: " + e.getMessage());
        }
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).replaceFirst("#.*", "").trim();
            if (line.isEmpty() || (n == 0 && line.startsWith("client_id"))) {
                continue;
            }
            String[] cells = line.split(",");
            try {
                double start = Double.parseDouble(cells[1].trim());
                double end = Double.parseDouble(cells[2].trim());
                if (cells.length != 3 || !(start >= 0) || !(end > start)) {
                    throw new NumberFormatException();
                }
                byClient.computeIfAbsent(cells[0].trim(), k -> new ArrayList<>()).add(new double[] {start, end});
            } catch (RuntimeException e) {
                throw new AvailabilityException("availability trace " + file + ", line " + (n + 1) + ": '"
                        + lines.get(n) + "' is not client_id,start_seconds,end_seconds with 0 <= start < end");
            }
        }
        byClient.replaceAll((id, l) -> merged(l));
        return byClient;
    }

    /** Sorted, overlapping or touching intervals joined. */
    private static List<double[]> merged(List<double[]> intervals) {
        intervals.sort((a, b) -> Double.compare(a[0], b[0]));
        List<double[]> out = new ArrayList<>();
        for (double[] i : intervals) {
            double[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && i[0] <= last[1]) {
                last[1] = Math.max(last[1], i[1]);
            } else {
                out.add(i.clone());
            }
        }
        return out;
    }

    /** A trace that cannot be used: bad input, exit code 2. */
    public static final class AvailabilityException extends RuntimeException {
        public AvailabilityException(String message) {
            super(message);
        }
    }
}
