package io.flhetero.report.html;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What each client did when: one row per client, a coloured segment per piece of its time (transfer, fit,
 * evaluation, waiting, failure, offline), thin lines where rounds begin.
 */
final class Timeline {

    enum Kind {
        TRANSFER("transfer", "#9467bd"),
        FIT("fit", "#1f77b4"),
        CUT("fit cut by a deadline", "#ff7f0e"),
        EVALUATION("evaluation", "#2ca02c"),
        IDLE("waiting for the round", "#e4e4e4"),
        FAILED("failed", "#d62728"),
        DROPPED("dropped: over-selected, finished after the kept ones", "#c5b0d5"),
        RESTARTED("killed for memory, restarted", "#8c564b"),
        OFFLINE("offline", "#555555");

        final String label;
        final String colour;

        Kind(String label, String colour) {
            this.label = label;
            this.colour = colour;
        }
    }

    /** A piece of a client's time; {@code note} is shown on hover. */
    record Segment(String row, double start, double end, Kind kind, String note) {
    }

    private static final int WIDTH = 1140;
    private static final int LEFT = 96;
    private static final int RIGHT = 16;
    private static final int TOP = 8;
    private static final int ROW = 18;
    private static final int BOTTOM = 40;
    private static final int LEGEND = 22;

    private final String id;
    private final String title;
    private final String xLabel;
    private final List<String> rows;
    private final List<Segment> segments;
    private final List<Double> roundStarts;

    Timeline(String id, String title, String xLabel, List<String> rows, List<Segment> segments,
             List<Double> roundStarts) {
        this.id = id;
        this.title = title;
        this.xLabel = xLabel;
        this.rows = List.copyOf(rows);
        this.segments = List.copyOf(segments);
        this.roundStarts = List.copyOf(roundStarts);
    }

    String svg() {
        int plotBottom = TOP + rows.size() * ROW;
        Set<Kind> used = EnumSet.noneOf(Kind.class);
        segments.stream().filter(seg -> rows.contains(seg.row())).forEach(seg -> used.add(seg.kind()));
        // The legend, wrapped to the width: each entry's x and line.
        List<double[]> places = new ArrayList<>();
        double lx = LEFT;
        int line = 0;
        for (Kind k : used) {
            double width = 30 + 7 * k.label.length();
            if (lx + width > WIDTH - RIGHT && lx > LEFT) {
                lx = LEFT;
                line++;
            }
            places.add(new double[] {lx, line});
            lx += width;
        }
        int height = plotBottom + BOTTOM + (line + 1) * LEGEND;
        double end = segments.stream().mapToDouble(Segment::end).filter(Double::isFinite).max().orElse(1);
        Scale x = Scale.of(0, end, LEFT, WIDTH - RIGHT);
        StringBuilder b = new StringBuilder();
        Html.openFigure(b, "chart timeline", id, title, rows.size(), WIDTH, height);
        b.append("<g class=\"axes\">");
        for (double t : x.ticks()) {
            String px = Html.px(x.at(t));
            b.append("<line x1=\"").append(px).append("\" x2=\"").append(px).append("\" y1=\"").append(TOP)
                    .append("\" y2=\"").append(plotBottom).append("\" class=\"grid\"/><text x=\"").append(px)
                    .append("\" y=\"").append(plotBottom + 16).append("\" text-anchor=\"middle\">")
                    .append(x.label(t)).append("</text>");
        }
        b.append("<text x=\"").append((LEFT + WIDTH) / 2).append("\" y=\"").append(plotBottom + 34)
                .append("\" text-anchor=\"middle\" class=\"label\">").append(Html.escape(xLabel)).append("</text>");
        for (int r = 0; r < rows.size(); r++) {
            b.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(TOP + r * ROW + ROW - 5)
                    .append("\" text-anchor=\"end\">").append(Html.escape(rows.get(r))).append("</text>");
        }
        b.append("</g>\n");
        List<Segment> ordered = new ArrayList<>(segments);
        ordered.sort((s, t) -> Boolean.compare(s.kind() == Kind.OFFLINE, t.kind() == Kind.OFFLINE)); // on top
        for (Segment s : ordered) {
            int r = rows.indexOf(s.row());
            if (r < 0 || !(s.end() >= s.start())) {
                continue;
            }
            double x0 = x.at(s.start());
            b.append("<rect class=\"segment\" data-kind=\"").append(s.kind().name().toLowerCase(Locale.ROOT))
                    .append("\" x=\"").append(Html.px(x0)).append("\" y=\"").append(TOP + r * ROW + 2)
                    .append("\" width=\"").append(Html.px(Math.max(1, x.at(s.end()) - x0))).append("\" height=\"")
                    .append(ROW - 4).append("\" fill=\"").append(s.kind().colour).append('"')
                    .append(s.kind() == Kind.OFFLINE ? " fill-opacity=\"0.45\"" : "").append("><title>")
                    .append(Html.escape(s.row() + ": " + s.note())).append("</title></rect>");
        }
        for (double start : roundStarts) {
            String px = Html.px(x.at(start));
            b.append("<line x1=\"").append(px).append("\" x2=\"").append(px).append("\" y1=\"").append(TOP)
                    .append("\" y2=\"").append(plotBottom).append("\" class=\"round\"/>");
        }
        int i = 0;
        for (Kind k : used) {
            double[] at = places.get(i++);
            double y = plotBottom + BOTTOM + at[1] * LEGEND;
            b.append("<rect x=\"").append(Html.px(at[0])).append("\" y=\"").append(Html.px(y + 4))
                    .append("\" width=\"12\" height=\"12\" fill=\"").append(k.colour).append("\"/><text x=\"")
                    .append(Html.px(at[0] + 16)).append("\" y=\"").append(Html.px(y + 14)).append("\">")
                    .append(Html.escape(k.label)).append("</text>");
        }
        return Html.closeFigure(b.append('\n'));
    }
}
