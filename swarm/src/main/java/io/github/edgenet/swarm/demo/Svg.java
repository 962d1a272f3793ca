package io.github.edgenet.swarm.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Small inline-SVG charts for the report: line charts (linear or logarithmic y, gaps where a value
 * is missing), horizontal bar charts, grouped histograms and a placeholder for a chart whose data
 * is not there.
 */
final class Svg {
  static final String[] COLORS = {"#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c"};
  private static final int W = 560;
  private static final int H = 240;
  private static final int LEFT = 56;
  private static final int RIGHT = 16;
  private static final int TOP = 28;
  private static final int BOTTOM = 36;

  private Svg() {}

  /** A named series of values, one per x step; {@code NaN} is a gap. */
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

  static double niceMax(double max) {
    if (!(max > 0)) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(max)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * p >= max * (1 - 1e-12)) {
        return m * p;
      }
    }
    return 10 * p;
  }

  private static String label(double v) {
    return v >= 10_000 ? String.format(Locale.ROOT, "%.0fk", v / 1000)
        : v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v)
        : v >= 0.1 ? String.format(Locale.ROOT, "%.1f", v)
        : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String decade(int e) {
    return e >= 0 ? label(Math.pow(10, e)) : e >= -2 ? String.format(Locale.ROOT, "%s",
        e == -1 ? "0.1" : "0.01") : "1e" + e;
  }

  /** Legend entries along the bottom, spaced by their labels' length. */
  private static void legend(StringBuilder b, List<String> names, int h) {
    double x = LEFT + 8;
    for (int k = 0; k < names.size(); k++) {
      b.append("<rect x=\"").append(f(x)).append("\" y=\"").append(h - 14)
          .append("\" width=\"10\" height=\"10\" fill=\"").append(COLORS[k % COLORS.length])
          .append("\"/><text x=\"").append(f(x + 14)).append("\" y=\"").append(h - 5)
          .append("\" class=\"s\">").append(escape(names.get(k))).append("</text>");
      x += 14 + 6.2 * names.get(k).length() + 18;
    }
  }

  private static String open(String title, int h) {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + W + " " + h
        + "\" role=\"img\" aria-label=\"" + escape(title) + "\">";
  }

  /**
   * A chart with a title and a note instead of data, for a series the run did not produce (for
   * example because the node does not report it yet).
   */
  static String placeholder(String title, String note) {
    int h = 120;
    return open(title, h) + "<text x=\"8\" y=\"18\" class=\"t\">" + escape(title) + "</text>"
        + "<rect x=\"8\" y=\"" + TOP + "\" width=\"" + (W - 16) + "\" height=\"" + (h - TOP - 8)
        + "\" fill=\"#f9fafb\" stroke=\"#e5e7eb\"/><text x=\"" + W / 2 + "\" y=\""
        + (TOP + (h - TOP) / 2) + "\" text-anchor=\"middle\" class=\"s\">" + escape(note)
        + "</text></svg>";
  }

  /** A line chart, configured step by step; {@link #render()} draws it. */
  static final class Line {
    private final String title;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private String xUnit = "s";
    private int shadeFrom = -1;
    private int shadeTo = -1;
    private String shadeLabel = "";
    private boolean logY;
    private double fixedMax = Double.NaN;

    Line(String title, String yLabel) {
      this.title = title;
      this.yLabel = yLabel;
    }

    Line series(Series s) {
      series.add(s);
      return this;
    }

    Line series(List<Series> s) {
      series.addAll(s);
      return this;
    }

    /** The unit after each x tick label ({@code "s"} by default). */
    Line xUnit(String unit) {
      this.xUnit = unit;
      return this;
    }

    /** Shades x steps {@code from..to} (no shade if {@code from < 0}). */
    Line shade(int from, int to, String label) {
      this.shadeFrom = from;
      this.shadeTo = to;
      this.shadeLabel = label;
      return this;
    }

    /** A logarithmic y axis (decades); values {@code <= 0} are gaps. */
    Line logY() {
      this.logY = true;
      return this;
    }

    /** A fixed top of the y axis (linear). */
    Line max(double max) {
      this.fixedMax = max;
      return this;
    }

    String render() {
      int n = 0;
      double max = 0;
      double min = Double.POSITIVE_INFINITY;
      for (Series s : series) {
        n = Math.max(n, s.values().length);
        for (double v : s.values()) {
          if (Double.isFinite(v) && (!logY || v > 0)) {
            max = Math.max(max, v);
            min = Math.min(min, v);
          }
        }
      }
      double pw = W - LEFT - RIGHT;
      double ph = H - TOP - BOTTOM;
      int loDecade = 0;
      int hiDecade = 0;
      int ticks;
      if (logY) {
        if (!Double.isFinite(min)) {
          min = 0.1;
          max = 1;
        }
        loDecade = (int) Math.floor(Math.log10(min));
        hiDecade = Math.max(loDecade + 1, (int) Math.ceil(Math.log10(max)));
        ticks = hiDecade - loDecade;
      } else {
        max = Double.isNaN(fixedMax) ? niceMax(max) : fixedMax;
        double mantissa = max / Math.pow(10, Math.floor(Math.log10(max)));
        ticks = mantissa == 2.5 || mantissa == 5 ? 5 : 4;
      }
      StringBuilder b = new StringBuilder(open(title, H));
      b.append("<text x=\"").append(LEFT).append("\" y=\"18\" class=\"t\">").append(escape(title))
          .append("</text>");
      int span = Math.max(1, n - 1);
      if (shadeFrom >= 0 && shadeTo > shadeFrom) {
        double x0 = LEFT + pw * shadeFrom / span;
        double x1 = LEFT + pw * Math.min(shadeTo, span) / span;
        b.append("<rect x=\"").append(f(x0)).append("\" y=\"").append(TOP).append("\" width=\"")
            .append(f(x1 - x0)).append("\" height=\"").append(f(ph))
            .append("\" fill=\"#fde68a\" opacity=\"0.5\"/>");
        b.append("<text x=\"").append(f(x0 + 4)).append("\" y=\"").append(TOP + 12)
            .append("\" class=\"s\">").append(escape(shadeLabel)).append("</text>");
      }
      for (int i = 0; i <= ticks; i++) {
        double y = TOP + ph - ph * i / ticks;
        b.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(W - RIGHT)
            .append("\" y1=\"").append(f(y)).append("\" y2=\"").append(f(y))
            .append("\" stroke=\"#e5e7eb\"/>");
        b.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(f(y + 4))
            .append("\" text-anchor=\"end\" class=\"s\">")
            .append(logY ? decade(loDecade + i) : label(max * i / ticks)).append("</text>");
      }
      int step = Math.max(1, (int) niceMax(n / 6.0));
      for (int s = 0; s < n; s += step) {
        double x = LEFT + pw * s / span;
        b.append("<text x=\"").append(f(x)).append("\" y=\"").append(H - BOTTOM + 16)
            .append("\" text-anchor=\"middle\" class=\"s\">").append(s).append(escape(xUnit))
            .append("</text>");
      }
      b.append("<text x=\"12\" y=\"").append(TOP + ph / 2)
          .append("\" class=\"s\" transform=\"rotate(-90 12 ").append(f(TOP + ph / 2))
          .append(")\" text-anchor=\"middle\">").append(escape(yLabel)).append("</text>");
      for (int k = 0; k < series.size(); k++) {
        Series s = series.get(k);
        String color = COLORS[k % COLORS.length];
        StringBuilder points = new StringBuilder();
        int inSegment = 0;
        for (int i = 0; i <= s.values().length; i++) {
          double v = i < s.values().length ? s.values()[i] : Double.NaN;
          boolean gap = !Double.isFinite(v) || logY && v <= 0;
          if (gap) {
            flush(b, points, inSegment, color);
            points.setLength(0);
            inSegment = 0;
            continue;
          }
          double x = LEFT + pw * i / span;
          double frac = logY ? (Math.log10(v) - loDecade) / (hiDecade - loDecade) : v / max;
          double y = TOP + ph - ph * Math.min(1, Math.max(0, frac));
          points.append(f(x)).append(',').append(f(y)).append(' ');
          inSegment++;
        }
      }
      legend(b, series.stream().map(Series::name).toList(), H);
      b.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT).append("\" y1=\"")
          .append(TOP).append("\" y2=\"").append(f(TOP + ph)).append("\" stroke=\"#6b7280\"/>");
      return b.append("</svg>").toString();
    }

    private static void flush(StringBuilder b, StringBuilder points, int count, String color) {
      if (count == 1) { // a lone point: a dot
        String[] xy = points.toString().trim().split(",");
        b.append("<circle cx=\"").append(xy[0]).append("\" cy=\"").append(xy[1])
            .append("\" r=\"2\" fill=\"").append(color).append("\"/>");
      } else if (count > 1) {
        b.append("<polyline fill=\"none\" stroke-width=\"1.8\" stroke=\"").append(color)
            .append("\" points=\"").append(points).append("\"/>");
      }
    }
  }

  /**
   * A line chart over seconds; {@code shadeFrom..shadeTo} (seconds, -1 for none) is shaded and
   * labelled {@code shadeLabel}.
   */
  static String lineChart(String title, String yLabel, List<Series> series, int shadeFrom,
      int shadeTo, String shadeLabel) {
    return new Line(title, yLabel).series(series).shade(shadeFrom, shadeTo, shadeLabel).render();
  }

  /** A horizontal bar chart of labelled counts. */
  static String barChart(String title, List<String> labels, List<Long> values) {
    int rows = Math.max(1, labels.size());
    int rowH = 22;
    int h = TOP + rows * rowH + 12;
    int left = 170;
    double max = niceMax(values.stream().mapToLong(Long::longValue).max().orElse(1));
    double pw = W - left - 70;
    StringBuilder b = new StringBuilder(open(title, h));
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

  /**
   * Vertical bars: one group per bin label, one bar per series in each group (counts).
   *
   * @param bins the bin labels along x
   * @param series each series' count per bin (same length as {@code bins})
   */
  static String histogram(String title, String yLabel, List<String> bins, List<Series> series) {
    double max = 0;
    for (Series s : series) {
      for (double v : s.values()) {
        max = Math.max(max, v);
      }
    }
    max = niceMax(max);
    double pw = W - LEFT - RIGHT;
    double ph = H - TOP - BOTTOM;
    StringBuilder b = new StringBuilder(open(title, H));
    b.append("<text x=\"").append(LEFT).append("\" y=\"18\" class=\"t\">").append(escape(title))
        .append("</text>");
    for (int i = 0; i <= 4; i++) {
      double y = TOP + ph - ph * i / 4;
      b.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(W - RIGHT).append("\" y1=\"")
          .append(f(y)).append("\" y2=\"").append(f(y)).append("\" stroke=\"#e5e7eb\"/>");
      b.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(f(y + 4))
          .append("\" text-anchor=\"end\" class=\"s\">").append(label(max * i / 4))
          .append("</text>");
    }
    b.append("<text x=\"12\" y=\"").append(TOP + ph / 2)
        .append("\" class=\"s\" transform=\"rotate(-90 12 ").append(f(TOP + ph / 2))
        .append(")\" text-anchor=\"middle\">").append(escape(yLabel)).append("</text>");
    double group = pw / Math.max(1, bins.size());
    double bar = group * 0.8 / Math.max(1, series.size());
    for (int i = 0; i < bins.size(); i++) {
      double gx = LEFT + group * i + group * 0.1;
      for (int k = 0; k < series.size(); k++) {
        double v = series.get(k).values()[i];
        double h = ph * v / max;
        b.append("<rect x=\"").append(f(gx + k * bar)).append("\" y=\"").append(f(TOP + ph - h))
            .append("\" width=\"").append(f(Math.max(1, bar - 1))).append("\" height=\"")
            .append(f(h)).append("\" fill=\"").append(COLORS[k % COLORS.length]).append("\"/>");
      }
      b.append("<text x=\"").append(f(gx + group * 0.4)).append("\" y=\"")
          .append(H - BOTTOM + 16).append("\" text-anchor=\"middle\" class=\"s\">")
          .append(escape(bins.get(i))).append("</text>");
    }
    legend(b, series.stream().map(Series::name).toList(), H);
    return b.append("</svg>").toString();
  }
}
