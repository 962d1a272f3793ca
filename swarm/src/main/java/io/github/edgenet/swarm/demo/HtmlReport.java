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

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  static String html(DemoResult r) {
    DemoOptions o = r.options();
    boolean simulated = o.jgroups() == 0;
    long sub = DemoResult.total(r.submitted());
    long done = DemoResult.total(r.completed());
    String partition = r.partitionStartSecond() >= 0 ? "partition" : "";
    int ps = r.partitionStartSecond();
    int pe = r.partitionEndSecond();
    StringBuilder b = new StringBuilder(96 * 1024);
    b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>edgenet demo report</title><style>")
        .append("body{font:14px system-ui,sans-serif;margin:24px auto;max-width:1180px;color:#111}")
        .append("h1{font-size:22px;margin:0 0 4px}p.sub{color:#555;margin:0 0 16px}")
        .append("table{border-collapse:collapse;margin-bottom:16px}th,td{padding:3px 12px 3px 0;")
        .append("text-align:left;vertical-align:top}th{color:#555;font-weight:500;")
        .append("white-space:nowrap}")
        .append(".grid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:16px}")
        .append(".card{border:1px solid #e5e7eb;border-radius:8px;padding:8px}")
        .append("svg{width:100%;height:auto}svg .t{font:600 13px system-ui,sans-serif}")
        .append("svg .s{font:11px system-ui,sans-serif;fill:#374151}")
        .append(".note{color:#555;font-size:13px;margin-top:16px}</style></head><body>");
    b.append("<h1>edgenet demo report</h1><p class=\"sub\">")
        .append(Svg.escape(fmt("%s; workload %s (plus %d s to drain), seed %d.%s", r.network(),
            DemoResult.seconds(o.duration()),
            r.submitted().length - o.duration().toSeconds(), o.seed(),
            simulated ? " Same options, same run." : " Real time: runs differ.")))
        .append("</p><table>");
    b.append(row("Tasks", fmt("%d submitted, %d completed (%.1f%%), %d failed", sub, done,
        sub == 0 ? 0 : 100.0 * done / sub, DemoResult.total(r.failed()))));
    b.append(row(simulated ? "Latency (virtual)" : "Latency", fmt("p50 %.1f ms, p99 %.1f ms",
        r.percentileMillis(50), r.percentileMillis(99))));
    b.append(row("Executions", fmt("%d (%d repeated awards answered from storage); adapter "
        + "cache hit rate %.1f%%", r.executions(), r.fromStore(), r.hitRateTotal())));
    b.append(row("Faults", simulated ? fmt("loss %.3f, duplication %.3f, %d crashes with "
            + "restart, %d Byzantine nodes, partition %s", o.loss(), o.duplication(),
        r.crashes(), o.byzantine(), ps >= 0 ? ps + "-" + pe + " s" : "off")
        : fmt("%d Byzantine nodes (wrong results); the network is real loopback TCP",
            o.byzantine())));
    b.append(row("Byzantine outcome", fmt("%d misbehaviour records (failed verification or "
        + "cross-check mismatch), %d wrong results accepted", r.misbehaviour(),
        r.wrongAccepted())));
    DemoResult.Ledger l = r.ledger();
    b.append(row("Payments", l == null ? "off (--no-ledger): prices are agreed, no money moves"
        : fmt("%,d micro-units paid for completed tasks, each priced by a sealed auction and paid "
            + "as a vesting reward on the replicated ledger; at the end %d of %d up nodes hold the "
            + "same ledger state (%d restarted nodes still catching up, %d others with operations "
            + "in flight, %d diverged), supply + slashed stake %s the genesis %,d; %d operations "
            + "refused; the Byzantine nodes earned %,d", r.movedMicros(), l.agreeing(), l.up(),
            l.restartedBehind(), l.otherBehind(), l.diverged(),
            l.supplyMin() == l.genesisMicros() && l.supplyMax() == l.genesisMicros() ? "="
                : "differs from", l.genesisMicros(), l.refusals(), l.byzantineEarnedMicros())));
    if (l != null) {
      b.append(row("Economy", fmt("%,d sealed auctions; %,d audits; %,d guilty verdicts by the "
              + "adjudicators; %,d slashes (%,d micro-units of stake); %,d unvested rewards "
              + "clawed back; %,d micro-units granted as vesting rewards, %,d claimed",
          l.auctions(), l.audits(), l.verdicts(), l.slashes(), l.slashedMicros(), l.clawBacks(),
          l.vestingGrantedMicros(), l.vestingClaimedMicros())));
    }
    if (r.doubleSpends() != null) {
      b.append(row("Equivocation", r.doubleSpends().describe() + "; the ledger voids both "
          + "versions and the rest of each equivocator's chain"));
    }
    DemoResult.Learning learn = r.learning();
    b.append(row("Learning", fmt("%d providers learn the %s type's shared adapter from each task's "
            + "label (replay, signed shares every 5 s, trimmed mean): %.1f%% of answers right in "
            + "the first seconds, %.1f%% in the last (the head without an adapter: %.1f%%); %d "
            + "rounds; versions held %s",
        learn.learners(), Classify.TYPE, learn.firstPercent(), learn.lastPercent(),
        learn.untrainedPercent(),
        learn.roundsAggregated(), learn.versions())));
    StringBuilder cons = new StringBuilder();
    if (r.decisions().isEmpty()) {
      cons.append(r.rareProviders() < 2 ? "none: fewer than two nodes run the rare type"
          : "none taken");
    }
    for (Decisions.Epoch e : r.decisions()) {
      if (!cons.isEmpty()) {
        cons.append("; ");
      }
      cons.append(fmt("%s (s %d): %s%s; the pooled observations of all nodes rate %s best",
          e.label(), e.second(),
          e.roundsToAgreement() < 0 ? "no 95% agreement in " + e.agreeing().size()
              + " rounds, most on " : "95% agreed in " + e.roundsToAgreement() + " rounds on ",
          DemoResult.shortId(e.chosen()),
          e.chosen() != null && e.chosen().equals(e.pooledBest()) ? "it"
              : DemoResult.shortId(e.pooledBest())));
    }
    b.append(row("Consensus", fmt("which of the %d providers of the rare type the network "
        + "recommends as the most reliable: ", r.rareProviders()) + cons));
    double[] mean = r.gossipMean();
    b.append(row("Gossip", fmt("push-sum average of (embed price, checksum price, share running "
            + "rare) = (%.2f, %.2f, %.3f); relative error at the end: median %.2g, p90 %.2g; "
            + "%d messages", mean[0], mean[1], mean[2], DemoResult.last(r.gossipMedian()),
        DemoResult.last(r.gossipP90()), r.gossipMessages())));
    Fabric.Traffic t = r.traffic();
    b.append(row("Messages", t.lost() >= 0 ? fmt("%d sent, %d delivered, %d lost, %d cut by the "
            + "partition, %d to crashed nodes", t.sent(), t.delivered(), t.lost(),
        t.partitioned(), t.toCrashed()) : fmt("%d sent, %d received", t.sent(), t.delivered())));
    b.append(row("Wall time", fmt("%.1f s", r.wallMillis() / 1000.0)));
    b.append("</table><div class=\"grid\">");

    card(b, new Svg.Line("Tasks per second", "tasks / s").series(List.of(
        Svg.Series.of("submitted", r.submitted()), Svg.Series.of("completed", r.completed()),
        Svg.Series.of("failed", r.failed()))).shade(ps, pe, partition).render());
    card(b, new Svg.Line("Task latency of the tasks completed each second",
        simulated ? "ms (virtual)" : "ms").series(List.of(
            new Svg.Series("p50", r.latencyP50Millis()),
            new Svg.Series("p99", r.latencyP99Millis()))).shade(ps, pe, partition).render());
    List<Svg.Series> prices = new ArrayList<>();
    r.medianPrice().forEach((type, v) -> prices.add(new Svg.Series(type, v)));
    card(b, new Svg.Line("Agreed price per task (median each second)", "micro-units")
        .series(prices).shade(ps, pe, partition).render());
    card(b, new Svg.Line("Adapter cache hit rate (each second's lookups)", "% hits")
        .series(new Svg.Series("hit rate", r.hitRatePercent())).max(100)
        .shade(ps, pe, partition).render());
    card(b, new Svg.Line("Learning: " + Classify.TYPE + " answers right (last "
            + DemoRun.ACCURACY_WINDOW_SECONDS + " s)", "% right")
        .series(List.of(new Svg.Series("shared adapter", r.learning().accuracyPercent()),
            new Svg.Series("head without adapter", flat(r.learning().untrainedPercent(),
                r.learning().accuracyPercent().length)))).max(100)
        .shade(ps, pe, partition).render());
    card(b, consensusChart(r));
    card(b, new Svg.Line("Gossip error: push-sum estimate vs true mean", "relative error")
        .series(List.of(new Svg.Series("median node", r.gossipMedian()),
            new Svg.Series("90th percentile", r.gossipP90()))).logY()
        .shade(ps, pe, partition).render());
    card(b, reputationChart(r));
    card(b, r.slashes() == null ? Svg.placeholder("Slashes over time", "payments are off "
            + "(--no-ledger): no stake to slash")
        : new Svg.Line("Slashes over time (replicated ledger)", "slashes").series(
            new Svg.Series("slashes", r.slashes())).shade(ps, pe, partition).render());
    card(b, doubleSpendChart(r, ps, pe, partition));
    card(b, latencyHistogram(r));
    card(b, new Svg.Line("Messages per second", "messages / s").series(List.of(
        Svg.Series.of("sent", r.messages()), Svg.Series.of("rejected", r.rejected())))
        .shade(ps, pe, partition).render());
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
    b.append("</div><p class=\"note\">")
        .append(Svg.escape("How to read it. Prices are what submitters agreed with the winning "
            + "provider (each provider's compute-market quote: it rises with load and relaxes "
            + "when idle). A decision pools every node's own observations of the rare type's "
            + "providers by push-sum gossip (15 rounds of 100 ms), then the nodes run entropy "
            + "consensus on them, each weighing the options by its pooled estimate of their "
            + "success rates, while the Byzantine nodes push the worst one with full certainty; "
            + "the chart shows, round by round, the share of the honest nodes that are up and "
            + "have decided on the option most of them end on (the message spikes are the "
            + "decisions). The gossip error is each up node's relative error ||estimate - "
            + "mean|| / ||mean|| over the three averaged values; loss, crashes and the partition "
            + "slow it, and mass sent to contacts that crash and are replaced stays lost (the "
            + "floor). With payments on the ledger, every task is priced by a sealed "
            + "commit-reveal auction among the shortlisted providers and paid as a vesting "
            + "reward; a wrong result that a verifier, a cross-check or an audit catches goes "
            + "to the adjudicators, who re-execute it and slash the liar's stake on the "
            + "ledger. An equivocator signs a payment for a place already used in its chain and "
            + "sends it to half of the network, the original to the other half; a node that "
            + "holds both holds the proof, and the ledger's fold then voids both and the rest of "
            + "that chain, slashes half the equivocator's stake and pays the receiver from it, "
            + "the same on every node. "
            + "Reputation is each node's score as its own ledger copy folds it from "
            + "paid and failed tasks (only staked nodes have one)."))
        .append("</p></body></html>\n");
    return b.toString();
  }

  private static double[] flat(double value, int length) {
    double[] v = new double[length];
    java.util.Arrays.fill(v, value);
    return v;
  }

  private static void card(StringBuilder b, String svg) {
    b.append("<div class=\"card\">").append(svg).append("</div>");
  }

  private static String consensusChart(DemoResult r) {
    String title = "Consensus: rounds (100 ms) to agree on a rare-type provider";
    if (r.decisions().isEmpty()) {
      return Svg.placeholder(title, r.rareProviders() < 2
          ? "no decision: fewer than two nodes run the rare type" : "no decision taken");
    }
    Svg.Line chart = new Svg.Line(title, "% of up honest nodes").xUnit("").max(100);
    for (Decisions.Epoch e : r.decisions()) {
      double[] v = new double[e.agreeing().size() + 1];
      for (int i = 0; i < e.agreeing().size(); i++) {
        v[i + 1] = 100 * e.agreeing().get(i);
      }
      chart.series(new Svg.Series(fmt("s %d: decided on %s", e.second(),
          DemoResult.shortId(e.chosen())), v));
    }
    return chart.render();
  }

  private static String doubleSpendChart(DemoResult r, int ps, int pe, String partition) {
    String title = "Equivocation: honest nodes holding every proof";
    DemoResult.DoubleSpends d = r.doubleSpends();
    if (d == null || d.spends().isEmpty()) {
      return Svg.placeholder(title, d == null ? "no node equivocates (no ledger, --jgroups or "
          + "--equivocators 0)" : "no equivocation was sent");
    }
    return new Svg.Line(title, "nodes").series(List.of(
            new Svg.Series("holding the proofs", d.proofHolders()),
            new Svg.Series("honest nodes up", d.honestUpSeries())))
        .shade(ps, pe, partition).render();
  }

  private static String reputationChart(DemoResult r) {
    String title = "Reputation distribution at the end";
    DemoResult.Reputation rep = r.reputation();
    if (rep == null) {
      return Svg.placeholder(title, "payments are off (--no-ledger): reputation is folded "
          + "from the ledger");
    }
    List<String> bins = new ArrayList<>();
    double[] honest = new double[10];
    double[] byzantine = new double[10];
    for (int i = 0; i < 10; i++) {
      bins.add(fmt("%.1f", i / 10.0));
    }
    for (double s : rep.honest()) {
      honest[Math.clamp((int) Math.floor(s * 10), 0, 9)]++;
    }
    for (double s : rep.byzantine()) {
      byzantine[Math.clamp((int) Math.floor(s * 10), 0, 9)]++;
    }
    return Svg.histogram(title, "nodes", bins, List.of(new Svg.Series("honest", honest),
        new Svg.Series("Byzantine", byzantine)));
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
