package io.flhetero.report.html;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A linear axis: data values from {@code min} to {@code max} drawn from pixel {@code from} to {@code to}, widened to
 * round tick values (1, 2 or 5 times a power of ten) so that the ticks read easily.
 */
record Scale(double min, double max, double step, double from, double to) {

    private static final int TICKS = 5;

    static Scale of(double lo, double hi, double from, double to) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            lo = 0;
            hi = 1;
        }
        if (hi - lo < 1e-12) {
            double pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
            lo -= pad;
            hi += pad;
        }
        double step = niceStep((hi - lo) / TICKS);
        return new Scale(Math.floor(lo / step + 1e-9) * step, Math.ceil(hi / step - 1e-9) * step, step, from, to);
    }

    private static double niceStep(double rough) {
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        double f = rough / power;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
    }

    double at(double v) {
        return from + (v - min) / (max - min) * (to - from);
    }

    /** A tick's value with as many decimals as the step between ticks needs. */
    String label(double tick) {
        int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", tick);
    }

    List<Double> ticks() {
        List<Double> ticks = new ArrayList<>();
        for (int i = 0; min + i * step <= max + step * 1e-9; i++) {
            ticks.add(min + i * step);
        }
        return ticks;
    }
}
