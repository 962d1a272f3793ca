package io.github.edgenet.swarm.demo;

import java.util.List;
import java.util.Locale;

/** Small inline-SVG charts for the report: line charts over seconds and horizontal bar charts. */
final class Svg {
  static final String[] COLORS = {"#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c"};
  private static final int W = 560;
  private static final int H = 240;
  private static final int LEFT = 56;
  private static final int RIGHT = 16;
  private static final int TOP = 28;
  private static final int BOTTOM = 36;

  private Svg() {}

  /** A named series of values, one per second. */
  record Series(String name, double[] values) {
    static Series of(String name, long[] values) {
      double[] d = new double[values.length];
      for (int i = 0; i < d.length; i++) {
        d[i] = values[i];
      }
      return new Series(name, d);
    }
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static double niceMax(double max) {
    if (max <= 0) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(max)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * p >= max) {
        return m * p;
      }
    }
    return 10 * p;
  }

  private static String label(double v) {
    return v >= 10_000 ? String.format(Locale.ROOT, "%.0fk", v / 1000)
        : v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, "%.1f", v);
  }

  /**
   * A line chart over seconds; {@code shadeFrom..shadeTo} (seconds, -1 for none) is shaded and
   * labelled {@code shadeLabel}.
   */
  static String lineChart(String title, String yLabel, List<Series> series, int shadeFrom,
      int shadeTo, String shadeLabel) {
    int n = series.getFirst().values().length;
    double max = 0;
    for (Series s : series) {
      for (double v : s.values()) {
        max = Math.max(max, v);
      }
    }
    max = niceMax(max);
    double mantissa = max / Math.pow(10, Math.floor(Math.log10(max)));
    int ticks = mantissa == 2.5 || mantissa == 5 ? 5 : 4;
    double pw = W - LEFT - RIGHT;
    double ph = H - TOP - BOTTOM;
    StringBuilder b = new StringBuilder();
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(W).append(' ')
        .append(H).append("\" role=\"img\" aria-label=\"").append(escape(title)).append("\">");
    b.append("<text x=\"").append(LEFT).append("\" y=\"18\" class=\"t\">").append(escape(title))
        .append("</text>");
    if (shadeFrom >= 0 && shadeTo > shadeFrom) {
      double x0 = LEFT + pw * shadeFrom / Math.max(1, n - 1);
      double x1 = LEFT + pw * shadeTo / Math.max(1, n - 1);
      b.append("<rect x=\"").append(f(x0)).append("\" y=\"").append(TOP).append("\" width=\"")
          .append(f(x1 - x0)).append("\" height=\"").append(f(ph))
          .append("\" fill=\"#fde68a\" opacity=\"0.5\"/>");
      b.append("<text x=\"").append(f(x0 + 4)).append("\" y=\"").append(TOP + 12)
          .append("\" class=\"s\">").append(escape(shadeLabel)).append("</text>");
    }
    for (int i = 0; i <= ticks; i++) {
      double y = TOP + ph - ph * i / ticks;
      b.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(W - RIGHT).append("\" y1=\"")
          .append(f(y)).append("\" y2=\"").append(f(y)).append("\" stroke=\"#e5e7eb\"/>");
      b.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(f(y + 4))
          .append("\" text-anchor=\"end\" class=\"s\">").append(label(max * i / ticks))
          .append("</text>");
    }
    int step = Math.max(1, (int) niceMax(n / 6.0));
    for (int s = 0; s < n; s += step) {
      double x = LEFT + pw * s / Math.max(1, n - 1);
      b.append("<text x=\"").append(f(x)).append("\" y=\"").append(H - BOTTOM + 16)
          .append("\" text-anchor=\"middle\" class=\"s\">").append(s).append("s</text>");
    }
    b.append("<text x=\"12\" y=\"").append(TOP + ph / 2).append("\" class=\"s\" transform=\"rotate(-90 12 ")
        .append(f(TOP + ph / 2)).append(")\" text-anchor=\"middle\">").append(escape(yLabel))
        .append("</text>");
    for (int k = 0; k < series.size(); k++) {
      Series s = series.get(k);
      b.append("<polyline fill=\"none\" stroke-width=\"1.8\" stroke=\"")
          .append(COLORS[k % COLORS.length]).append("\" points=\"");
      for (int i = 0; i < n; i++) {
        double x = LEFT + pw * i / Math.max(1, n - 1);
        double y = TOP + ph - ph * s.values()[i] / max;
        b.append(f(x)).append(',').append(f(y)).append(' ');
      }
      b.append("\"/>");
      double lx = LEFT + 8 + k * 130;
      b.append("<rect x=\"").append(f(lx)).append("\" y=\"").append(H - 14)
          .append("\" width=\"10\" height=\"10\" fill=\"").append(COLORS[k % COLORS.length])
          .append("\"/><text x=\"").append(f(lx + 14)).append("\" y=\"").append(H - 5)
          .append("\" class=\"s\">").append(escape(s.name())).append("</text>");
    }
    b.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT).append("\" y1=\"")
        .append(TOP).append("\" y2=\"").append(f(TOP + ph)).append("\" stroke=\"#6b7280\"/>");
    return b.append("</svg>").toString();
  }

  /** A horizontal bar chart of labelled counts. */
  static String barChart(String title, List<String> labels, List<Long> values) {
    int rows = Math.max(1, labels.size());
    int rowH = 22;
    int h = TOP + rows * rowH + 12;
    int left = 170;
    double max = niceMax(values.stream().mapToLong(Long::longValue).max().orElse(1));
    double pw = W - left - 70;
    StringBuilder b = new StringBuilder();
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(W).append(' ')
        .append(h).append("\" role=\"img\" aria-label=\"").append(escape(title)).append("\">");
    b.append("<text x=\"8\" y=\"18\" class=\"t\">").append(escape(title)).append("</text>");
    if (labels.isEmpty()) {
      b.append("<text x=\"").append(left).append("\" y=\"").append(TOP + 14)
          .append("\" class=\"s\">none</text>");
    }
    for (int i = 0; i < labels.size(); i++) {
      double y = TOP + i * rowH;
      double w = pw * values.get(i) / max;
      b.append("<text x=\"").append(left - 8).append("\" y=\"").append(f(y + 15))
          .append("\" text-anchor=\"end\" class=\"s\">").append(escape(labels.get(i)))
          .append("</text>");
      b.append("<rect x=\"").append(left).append("\" y=\"").append(f(y + 3)).append("\" width=\"")
          .append(f(Math.max(1, w))).append("\" height=\"16\" fill=\"")
          .append(COLORS[i % COLORS.length]).append("\"/>");
      b.append("<text x=\"").append(f(left + Math.max(1, w) + 6)).append("\" y=\"")
          .append(f(y + 15)).append("\" class=\"s\">").append(values.get(i)).append("</text>");
    }
    return b.append("</svg>").toString();
  }
}
