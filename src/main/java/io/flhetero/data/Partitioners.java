package io.flhetero.data;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds a {@link Partitioner} from its command-line spelling. */
public final class Partitioners {

    private static final String FORMS = "'iid', 'dirichlet(ALPHA)' or 'dirichlet:ALPHA' with ALPHA > 0, e.g. dirichlet(0.5)";
    private static final Pattern DIRICHLET = Pattern.compile("dirichlet\\s*(?:\\(\\s*([^)\\s]+)\\s*\\)|:\\s*(\\S+))");

    private Partitioners() {}

    /** Accepts {@code iid}, {@code dirichlet(0.5)} and {@code dirichlet:0.5}, ignoring case and spaces around. */
    public static Partitioner parse(String spec) {
        String text = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
        if (text.equals("iid")) {
            return new IidPartitioner();
        }
        Matcher m = DIRICHLET.matcher(text);
        if (m.matches()) {
            String alpha = m.group(1) != null ? m.group(1) : m.group(2);
            double value;
            try {
                value = Double.parseDouble(alpha);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Partitioning '" + spec + "' has alpha '" + alpha
                        + "', which is not a number; use " + FORMS);
            }
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("Partitioning '" + spec + "' needs alpha > 0; use " + FORMS);
            }
            return new DirichletPartitioner(value);
        }
        throw new IllegalArgumentException("Unknown partitioning '" + spec + "'; use " + FORMS);
    }

    /** Rejects client counts that cannot give every client at least one example. */
    static void checkClients(int[] labels, int clients) {
        if (clients < 1) {
            throw new IllegalArgumentException("need at least 1 client, got " + clients);
        }
        if (clients > labels.length) {
            throw new DataException("cannot split " + labels.length + " examples among " + clients
                    + " clients; use at most " + labels.length + " clients or a larger data set");
        }
    }
}
