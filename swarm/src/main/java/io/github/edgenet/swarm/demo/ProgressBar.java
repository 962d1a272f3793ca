package io.github.edgenet.swarm.demo;

import java.io.PrintWriter;
import java.util.Locale;

/** A one-line progress bar: redrawn in place on a terminal, a line per 10% otherwise. */
final class ProgressBar {
  private static final int WIDTH = 30;
  private final PrintWriter out;
  private final boolean enabled;
  private final boolean terminal;
  private int lastShown = -1;

  ProgressBar(PrintWriter out, boolean enabled, boolean terminal) {
    this.out = out;
    this.enabled = enabled;
    this.terminal = terminal;
  }

  /** Shows {@code fraction} done with a short status. */
  void update(double fraction, String status) {
    if (!enabled) {
      return;
    }
    int percent = (int) Math.round(Math.max(0, Math.min(1, fraction)) * 100);
    int step = terminal ? percent : percent / 10 * 10;
    if (step == lastShown) {
      return;
    }
    lastShown = step;
    int filled = percent * WIDTH / 100;
    String line = String.format(Locale.ROOT, "[%s%s] %3d%%  %s", "#".repeat(filled),
        " ".repeat(WIDTH - filled), percent, status);
    if (terminal) {
      out.print("\r" + line);
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** Ends the bar's line. */
  void finish() {
    if (enabled && terminal) {
      out.println();
    }
  }
}
