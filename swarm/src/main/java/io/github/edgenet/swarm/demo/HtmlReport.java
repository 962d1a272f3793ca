package io.github.edgenet.swarm.demo;

import io.github.edgenet.swarm.node.RejectionReason;
import io.github.edgenet.swarm.node.TaskFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a demo run as one self-contained HTML file: a summary table and inline SVG charts. */
final class HtmlReport {
  private static final long[] LATENCY_EDGES_MS = {25, 50, 100, 200, 400, 800, 1600, 3200};

  private HtmlReport() {}

  static void write(DemoResult r, Path file) throws IOException {
    Path parent = file.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, html(r), StandardCharsets.UTF_8);
  }

  private static String row(String k, String v) {
    return "<tr><th>" + Svg.escape(k) + "</th><td>" + Svg.escape(v) + "</td></tr>";
  }

  static String html(DemoResult r) {
    DemoOptions o = r.options();
    long sub = r.total(r.submitted());
    long done = r.total(r.completed());
    String partition = r.partitionStartSecond() >= 0 ? "partition" : "";
    StringBuilder b = new StringBuilder(64 * 1024);
    b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>edgenet demo report</title><style>")
        .append("body{font:14px system-ui,sans-serif;margin:24px auto;max-width:1180px;color:#111}")
        .append("h1{font-size:22px;margin:0 0 4px}p.sub{color:#555;margin:0 0 16px}")
        .append("table{border-collapse:collapse;margin-bottom:16px}th,td{padding:3px 12px 3px 0;")
        .append("text-align:left;vertical-align:top}th{color:#555;font-weight:500}")
        .append(".grid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:16px}")
        .append(".card{border:1px solid #e5e7eb;border-radius:8px;padding:8px}")
        .append("svg{width:100%;height:auto}svg .t{font:600 13px system-ui,sans-serif}")
        .append("svg .s{font:11px system-ui,sans-serif;fill:#374151}")
        .append(".note{color:#555;font-size:13px;margin-top:16px}</style></head><body>");
    b.append("<h1>edgenet demo report</h1><p class=\"sub\">")
        .append(Svg.escape(String.format(Locale.ROOT, "%d simulated nodes, %s of virtual time "
            + "(plus %d s to drain), seed %d. Same options, same run.", o.nodes(),
            DemoResult.seconds(o.duration()),
            r.submitted().length - o.duration().toSeconds(), o.seed())))
        .append("</p><table>");
    b.append(row("Tasks", String.format(Locale.ROOT, "%d submitted, %d completed (%.1f%%), "
        + "%d failed", sub, done, sub == 0 ? 0 : 100.0 * done / sub, r.total(r.failed()))));
    b.append(row("Latency (virtual)", String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms",
        r.percentileMillis(50), r.percentileMillis(99))));
    b.append(row("Executions", String.format(Locale.ROOT, "%d (%d repeated awards answered from "
        + "storage); adapter hit rate %.1f%%", r.executions(), r.fromStore(),
        r.adapterHits() + r.adapterMisses() == 0 ? 0
            : 100.0 * r.adapterHits() / (r.adapterHits() + r.adapterMisses()))));
    b.append(row("Faults", String.format(Locale.ROOT, "loss %.3f, duplication %.3f, %d crashes "
            + "with restart, %d Byzantine nodes, partition %s", o.loss(), o.duplication(),
        r.crashes(), o.byzantine(), r.partitionStartSecond() >= 0
            ? r.partitionStartSecond() + "-" + r.partitionEndSecond() + " s" : "off")));
    b.append(row("Byzantine outcome", String.format(Locale.ROOT, "%d misbehaviour records "
        + "(failed verification or cross-check mismatch), %d wrong results accepted",
        r.misbehaviour(), r.wrongAccepted())));
    b.append(row("Messages", String.format(Locale.ROOT, "%d sent, %d delivered, %d lost, %d cut "
            + "by the partition, %d to crashed nodes", r.network().sent(), r.network().delivered(),
        r.network().lost(), r.network().partitioned(), r.network().receiverDown())));
    b.append(row("Wall time", String.format(Locale.ROOT, "%.1f s", r.wallMillis() / 1000.0)));
    b.append("</table><div class=\"grid\">");
    card(b, Svg.lineChart("Tasks per second", "tasks / s", List.of(
        Svg.Series.of("submitted", r.submitted()), Svg.Series.of("completed", r.completed()),
        Svg.Series.of("failed", r.failed())), r.partitionStartSecond(), r.partitionEndSecond(),
        partition));
    card(b, Svg.lineChart("Task latency of the tasks completed each second", "ms (virtual)",
        List.of(new Svg.Series("p50", r.latencyP50Millis()),
            new Svg.Series("p99", r.latencyP99Millis())), r.partitionStartSecond(),
        r.partitionEndSecond(), partition));
    card(b, latencyHistogram(r));
    card(b, Svg.lineChart("Messages per second", "messages / s", List.of(
        Svg.Series.of("sent", r.messages()), Svg.Series.of("rejected", r.rejected())),
        r.partitionStartSecond(), r.partitionEndSecond(), partition));
    List<String> labels = new ArrayList<>();
    List<Long> values = new ArrayList<>();
    for (Map.Entry<RejectionReason, Long> e : r.rejections().entrySet()) {
      if (e.getValue() > 0) {
        labels.add(e.getKey().name());
        values.add(e.getValue());
      }
    }
    card(b, Svg.barChart("Rejected messages by reason (all nodes)", labels, values));
    labels = new ArrayList<>();
    values = new ArrayList<>();
    for (Map.Entry<TaskFailedException.Reason, Long> e : r.failures().entrySet()) {
      if (e.getValue() > 0) {
        labels.add(e.getKey().name());
        values.add(e.getValue());
      }
    }
    card(b, Svg.barChart("Failed tasks by reason", labels, values));
    b.append("</div><p class=\"note\">Not in this report yet, because the modules behind them are "
        + "not wired into EdgeNode: prices from the compute market and auctions, reputation, "
        + "payments and slashes (economy), consensus rounds, pheromones and collective memory "
        + "(swarm), gossip error of federated learning (learning). Candidates are chosen by "
        + "lowest advertised price; providers ask a fixed price; no money moves. See "
        + "docs/edgenode.md.</p></body></html>\n");
    return b.toString();
  }

  private static void card(StringBuilder b, String svg) {
    b.append("<div class=\"card\">").append(svg).append("</div>");
  }

  private static String latencyHistogram(DemoResult r) {
    List<String> labels = new ArrayList<>();
    List<Long> values = new ArrayList<>();
    long lower = 0;
    for (int i = 0; i <= LATENCY_EDGES_MS.length; i++) {
      long upper = i < LATENCY_EDGES_MS.length ? LATENCY_EDGES_MS[i] : Long.MAX_VALUE / 1_000_000;
      long count = r.latency().getCountBetweenValues(lower * 1_000_000, upper * 1_000_000 - 1);
      labels.add(i < LATENCY_EDGES_MS.length ? lower + "-" + upper + " ms" : ">= " + lower + " ms");
      values.add(count);
      lower = upper;
    }
    return Svg.barChart("Task latency distribution (completed tasks)", labels, values);
  }
}
