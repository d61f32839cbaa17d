package io.flhetero.report.html;

import java.util.Locale;

/** What every part of the report needs: escaping, numbers as people read them, the series colours. */
final class Html {

    /** Tableau's ten colours: told apart by most eyes, also in print. */
    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

    private Html() {
    }

    /**
     * Opens a chart: its caption, and an SVG element a test can find by {@code data-chart} and count by
     * {@code data-series}. Close it with {@link #closeFigure}.
     */
    static void openFigure(StringBuilder b, String classes, String id, String title, int series, int width,
                           int height) {
        b.append("<figure><figcaption>").append(escape(title)).append("</figcaption>\n");
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"").append(classes).append("\" data-chart=\"")
                .append(escape(id)).append("\" data-series=\"").append(series).append("\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" role=\"img\" aria-label=\"").append(escape(title)).append("\">\n");
    }

    static String closeFigure(StringBuilder b) {
        return b.append("</svg></figure>\n").toString();
    }

    static String colour(int series) {
        return COLOURS[Math.floorMod(series, COLOURS.length)];
    }

    /** Text and attribute values alike. */
    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A coordinate: two decimals are finer than a pixel. */
    static String px(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** A measured value with the digits that mean something; a dash when there is none. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return "–";
        }
        double a = Math.abs(v);
        String format = a == 0 || a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.4f";
        return String.format(Locale.ROOT, format, v);
    }

    static String seconds(double v) {
        return Double.isFinite(v) ? number(v) + " s" : "–";
    }
}
