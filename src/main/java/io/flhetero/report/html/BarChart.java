package io.flhetero.report.html;

import java.util.List;

/**
 * One bar per category (a device class), with an optional limit drawn across it: memory against the class's
 * limit, for one.
 */
final class BarChart {

    /** A bar; {@code limit} NaN when the category has none, {@code value} NaN when it was not measured. */
    record Bar(String category, double value, double limit) {
    }

    private static final int WIDTH = 560;
    private static final int HEIGHT = 260;
    private static final int LEFT = 56;
    private static final int TOP = 12;
    private static final int BOTTOM = 44;

    private final String id;
    private final String title;
    private final String yLabel;
    private final List<Bar> bars;

    BarChart(String id, String title, String yLabel, List<Bar> bars) {
        this.id = id;
        this.title = title;
        this.yLabel = yLabel;
        this.bars = List.copyOf(bars);
    }

    String svg() {
        double top = 0;
        for (Bar bar : bars) {
            top = Math.max(top, Double.isFinite(bar.value()) ? bar.value() : 0);
            top = Math.max(top, Double.isFinite(bar.limit()) ? bar.limit() : 0);
        }
        Scale y = Scale.of(0, top, HEIGHT - BOTTOM, TOP);
        StringBuilder b = new StringBuilder();
        Html.openFigure(b, "chart", id, title, bars.size(), WIDTH, HEIGHT);
        Axes.draw(b, null, y, "", yLabel, WIDTH, HEIGHT, LEFT, TOP, BOTTOM);
        double band = (WIDTH - 16.0 - LEFT) / Math.max(1, bars.size());
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            double x0 = LEFT + i * band + band * 0.2;
            double w = band * 0.6;
            b.append("<g class=\"series\" data-name=\"").append(Html.escape(bar.category())).append("\">");
            if (Double.isFinite(bar.value())) {
                double yTop = y.at(bar.value());
                b.append("<rect x=\"").append(Html.px(x0)).append("\" y=\"").append(Html.px(yTop))
                        .append("\" width=\"").append(Html.px(w)).append("\" height=\"")
                        .append(Html.px(Math.max(1, y.at(0) - yTop))).append("\" fill=\"").append(Html.colour(i))
                        .append("\"><title>").append(Html.escape(bar.category())).append(": ")
                        .append(Html.number(bar.value())).append(Double.isFinite(bar.limit()) ? " of "
                                + Html.number(bar.limit()) : "").append("</title></rect>");
            } else {
                b.append("<text x=\"").append(Html.px(x0 + w / 2)).append("\" y=\"").append(Html.px(y.at(0) - 6))
                        .append("\" text-anchor=\"middle\">not recorded</text>");
            }
            if (Double.isFinite(bar.limit())) {
                String ly = Html.px(y.at(bar.limit()));
                b.append("<line x1=\"").append(Html.px(x0 - 6)).append("\" x2=\"").append(Html.px(x0 + w + 6))
                        .append("\" y1=\"").append(ly).append("\" y2=\"").append(ly).append("\" class=\"limit\">"
                                + "<title>limit ").append(Html.number(bar.limit())).append("</title></line>");
            }
            b.append("<text x=\"").append(Html.px(x0 + w / 2)).append("\" y=\"").append(HEIGHT - BOTTOM + 16)
                    .append("\" text-anchor=\"middle\">").append(Html.escape(bar.category())).append("</text></g>\n");
        }
        return Html.closeFigure(b);
    }
}
