package io.flhetero.report.html;

import java.util.List;

/**
 * Lines over a shared x axis, one per series (several runs overlaid), drawn as SVG. A point without a value (a
 * round that was not evaluated) is left out, its neighbours joined; hovering a point shows its values.
 */
final class LineChart {

    /** A point of a series; y NaN when there is no value there. */
    record Point(double x, double y) {
    }

    record Series(String name, List<Point> points) {
    }

    private static final int WIDTH = 560;
    private static final int HEIGHT = 300;
    private static final int LEFT = 56;
    private static final int RIGHT = 16;
    private static final int TOP = 12;
    private static final int BOTTOM = 44;
    private static final int LEGEND_LINE = 16;

    private final String id;
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series;

    LineChart(String id, String title, String xLabel, String yLabel, List<Series> series) {
        this.id = id;
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.series = List.copyOf(series);
    }

    String svg() {
        int legendHeight = series.size() > 1 ? series.size() * LEGEND_LINE + 8 : 0;
        int height = HEIGHT + legendHeight;
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (Point p : s.points()) {
                if (Double.isFinite(p.y()) && Double.isFinite(p.x())) {
                    xMin = Math.min(xMin, p.x());
                    xMax = Math.max(xMax, p.x());
                    yMin = Math.min(yMin, p.y());
                    yMax = Math.max(yMax, p.y());
                }
            }
        }
        Scale x = Scale.of(xMin, xMax, LEFT, WIDTH - RIGHT);
        Scale y = Scale.of(yMin, yMax, HEIGHT - BOTTOM, TOP);
        StringBuilder b = new StringBuilder();
        Html.openFigure(b, "chart", id, title, series.size(), WIDTH, height);
        Axes.draw(b, x, y, xLabel, yLabel, WIDTH, HEIGHT, LEFT, TOP, BOTTOM);
        for (int i = 0; i < series.size(); i++) {
            line(b, series.get(i), Html.colour(i), x, y);
        }
        if (series.size() > 1) {
            for (int i = 0; i < series.size(); i++) {
                double ly = HEIGHT + 4 + i * LEGEND_LINE;
                b.append("<rect x=\"").append(LEFT).append("\" y=\"").append(Html.px(ly + 3)).append("\" width=\"14\" "
                        + "height=\"4\" fill=\"").append(Html.colour(i)).append("\"/>");
                b.append("<text x=\"").append(LEFT + 20).append("\" y=\"").append(Html.px(ly + 9)).append("\">")
                        .append(Html.escape(series.get(i).name())).append("</text>\n");
            }
        }
        return Html.closeFigure(b);
    }

    private static void line(StringBuilder b, Series s, String colour, Scale x, Scale y) {
        StringBuilder path = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        for (Point p : s.points()) {
            if (!Double.isFinite(p.y()) || !Double.isFinite(p.x())) {
                continue;
            }
            String px = Html.px(x.at(p.x()));
            String py = Html.px(y.at(p.y()));
            path.append(path.isEmpty() ? "M" : " L").append(px).append(' ').append(py);
            dots.append("<circle cx=\"").append(px).append("\" cy=\"").append(py).append("\" r=\"2.5\"><title>")
                    .append(Html.escape(s.name())).append(": ").append(Html.number(p.x())).append(", ")
                    .append(Html.number(p.y())).append("</title></circle>");
        }
        b.append("<g class=\"series\" data-name=\"").append(Html.escape(s.name())).append("\" fill=\"").append(colour)
                .append("\">");
        if (!path.isEmpty()) {
            b.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(colour)
                    .append("\" stroke-width=\"2\"/>");
        }
        b.append(dots).append("</g>\n");
    }
}
