package io.flhetero.report.html;

/** The frame every chart shares: a grid line and a label at each tick, and the axes' titles. */
final class Axes {

    private Axes() {
    }

    static void draw(StringBuilder b, Scale x, Scale y, String xLabel, String yLabel, int width, int height, int left,
                     int top, int bottom) {
        b.append("<g class=\"axes\">");
        for (double t : y.ticks()) {
            String py = Html.px(y.at(t));
            b.append("<line x1=\"").append(left).append("\" x2=\"").append(width - 16).append("\" y1=\"")
                    .append(py).append("\" y2=\"").append(py).append("\" class=\"grid\"/>");
            b.append("<text x=\"").append(left - 6).append("\" y=\"").append(py).append("\" dy=\"4\" "
                    + "text-anchor=\"end\">").append(y.label(t)).append("</text>");
        }
        if (x != null) {
            for (double t : x.ticks()) {
                String px = Html.px(x.at(t));
                b.append("<line x1=\"").append(px).append("\" x2=\"").append(px).append("\" y1=\"").append(top)
                        .append("\" y2=\"").append(height - bottom).append("\" class=\"grid\"/>");
                b.append("<text x=\"").append(px).append("\" y=\"").append(height - bottom + 16)
                        .append("\" text-anchor=\"middle\">").append(x.label(t)).append("</text>");
            }
        }
        b.append("<line x1=\"").append(left).append("\" x2=\"").append(left).append("\" y1=\"").append(top)
                .append("\" y2=\"").append(height - bottom).append("\" class=\"axis\"/>");
        b.append("<line x1=\"").append(left).append("\" x2=\"").append(width - 16).append("\" y1=\"")
                .append(height - bottom).append("\" y2=\"").append(height - bottom).append("\" class=\"axis\"/>");
        b.append("<text x=\"").append((left + width) / 2).append("\" y=\"").append(height - 6)
                .append("\" text-anchor=\"middle\" class=\"label\">").append(Html.escape(xLabel)).append("</text>");
        b.append("<text transform=\"translate(14,").append((top + height - bottom) / 2).append(") rotate(-90)\" "
                + "text-anchor=\"middle\" class=\"label\">").append(Html.escape(yLabel)).append("</text>");
        b.append("</g>\n");
    }
}
