package io.github.edgenet.swarm.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The main job: a network of simulated edge nodes running the EdgeNode task protocol under faults,
 * with a progress bar, a printed summary and a self-contained HTML report. Exit codes: 0 done, 1
 * the run failed, 2 bad options.
 */
@Command(name = "edgenet-demo", mixinStandardHelpOptions = true, version = "edgenet 0.1.0",
    sortOptions = false,
    description = {
      "Runs a network of simulated edge nodes on virtual time: tasks are submitted, offered, "
          + "awarded, executed through a LoRA adapter on another node, verified, paid on the "
          + "replicated ledger and completed, all as signed envelopes, through message loss, a "
          + "partition that heals, crashes and Byzantine nodes; the nodes also agree on the best "
          + "provider of a rare task type (entropy consensus) and average a market statistic "
          + "(push-sum gossip). With --jgroups N the same flow runs on N real JGroups nodes on "
          + "127.0.0.1. Prints a summary and writes an HTML report.",
      ""
    })
public final class SwarmDemo implements Callable<Integer> {
  /** A command with every option at its default; picocli sets them from the command line. */
  public SwarmDemo() {}

  @Spec CommandSpec spec;

  @Option(names = "--nodes", paramLabel = "N", description = "simulated nodes (default: 200)")
  int nodes = 200;

  @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
      description = "virtual time of the workload, e.g. 60s, 2m, 1500ms (default: 60s)")
  Duration duration = Duration.ofSeconds(60);

  @Option(names = "--seed", description = "random seed: same options, same run (default: 42)")
  long seed = 42;

  @Option(names = "--loss", paramLabel = "P",
      description = "message loss probability (default: 0.02)")
  double loss = 0.02;

  @Option(names = "--duplication", paramLabel = "P",
      description = "message duplication probability (default: 0.01)")
  double duplication = 0.01;

  @Option(names = "--crash-fraction", paramLabel = "F",
      description = "fraction of honest nodes that crash once and restart (default: 0.05)")
  double crashFraction = 0.05;

  @Option(names = "--byzantine", paramLabel = "N",
      description = "nodes that forge envelopes and return wrong results (default: 4)")
  int byzantine = 4;

  @Option(names = "--equivocators", paramLabel = "N",
      description = "how many of the Byzantine nodes also equivocate on the ledger: at its "
          + "first ledger operation after 15%% of the run, each signs a payment for the same "
          + "place in its chain and sends it to half of the network, the original to the other "
          + "half (default: half of --byzantine, rounded up; the simulator with the ledger only)")
  Integer equivocators;

  @Option(names = "--partition", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "split the network in two at 30%% of the run, heal at 50%% (default: on)")
  boolean partition = true;

  @Option(names = "--tasks-per-second", paramLabel = "R",
      description = "tasks submitted per second, over the network (default: 20; with "
          + "--jgroups N, N/2)")
  double tasksPerSecond = 20;

  @Option(names = "--cross-check", paramLabel = "F",
      description = "fraction of tasks re-executed by a second node (default: 0.1)")
  double crossCheck = 0.1;

  @Option(names = "--ledger", negatable = true,
      description = "pay for tasks on the replicated ledger: every node minted 1 token at "
          + "genesis, sealed auctions, stake, vesting rewards, reputation, adjudicators that "
          + "slash (default: on; --no-ledger runs several times faster, since every node "
          + "verifies every ledger operation)")
  Boolean ledger;

  @Option(names = "--jgroups", paramLabel = "N",
      description = "run N real JGroups nodes on 127.0.0.1 (TCP) in this JVM instead of the "
          + "simulator; real time, default duration 20s, N/2 tasks per second, 1 Byzantine "
          + "node if N >= 5, payments on the ledger; "
          + "--loss, --duplication, --crash-fraction and --partition do not apply (default: 0, "
          + "the simulator)")
  int jgroups;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "HTML report path (default: edgenet-report.html)")
  Path output = Path.of("edgenet-report.html");

  @Option(names = "--no-progress", negatable = false, description = "no progress bar")
  boolean noProgress;

  /** Held so that the level set in {@link #main} stays set (loggers are weakly referenced). */
  private static final java.util.logging.Logger JGROUPS_LOG =
      java.util.logging.Logger.getLogger("org.jgroups");
  /** Every ledger logs each equivocation it learns of; the summary counts them instead. */
  private static final java.util.logging.Logger CHAINS_LOG =
      java.util.logging.Logger.getLogger("io.github.edgenet.economy.internal.ChainBook");
  /** An equivocator's own node logs every operation its void chain can no longer append. */
  private static final java.util.logging.Logger SETTLEMENT_LOG = java.util.logging.Logger
      .getLogger("io.github.edgenet.swarm.node.internal.LedgerSettlement");

  /**
   * Runs the command line; exits the JVM with its code (0 done, 1 the run failed, 2 bad options).
   *
   * @param args the options, as listed by {@code --help}
   */
  public static void main(String[] args) {
    // This program's console: JGroups logs a few INFO lines per endpoint and a warning per
    // connection torn down at exit (java.util.logging); keep its errors only.
    JGROUPS_LOG.setLevel(java.util.logging.Level.SEVERE);
    // The equivocations: one INFO line per ledger that detects each, and a warning
    // each time an equivocator's node tries to append to its own void chain.
    CHAINS_LOG.setLevel(java.util.logging.Level.WARNING);
    SETTLEMENT_LOG.setFilter(r -> r.getMessage() == null
        || !r.getMessage().contains("equivocated at sequence"));
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Parses {@code args} and runs, writing to {@code out} and {@code err}.
   *
   * @return the exit code: 0 done, 1 failed, 2 bad options
   */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new SwarmDemo());
    cl.setOut(out);
    cl.setErr(err);
    return cl.execute(args);
  }

  DemoOptions validated() {
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    check(jgroups == 0 || jgroups >= 2 && jgroups <= 64,
        "--jgroups must be 0 or in [2, 64], was " + jgroups);
    int n = nodes;
    Duration d = duration;
    int byz = byzantine;
    double lossP = loss;
    double dupP = duplication;
    double crash = crashFraction;
    boolean part = partition;
    double rate = tasksPerSecond;
    if (jgroups > 0) {
      for (String simOnly : new String[] {"--loss", "--duplication", "--crash-fraction",
          "--partition", "--nodes", "--equivocators"}) {
        check(!parsed.hasMatchedOption(simOnly), simOnly + " applies to the simulator only, "
            + "not with --jgroups");
      }
      n = jgroups;
      d = parsed.hasMatchedOption("--duration") ? duration : Duration.ofSeconds(20);
      byz = parsed.hasMatchedOption("--byzantine") ? byzantine : jgroups >= 5 ? 1 : 0;
      rate = parsed.hasMatchedOption("--tasks-per-second") ? tasksPerSecond
          : Math.max(1, jgroups / 2.0);
      lossP = 0;
      dupP = 0;
      crash = 0;
      part = false;
    }
    check(n >= 2 && n <= 100_000, "--nodes must be in [2, 100000], was " + n);
    check(!d.isNegative() && d.compareTo(Duration.ofSeconds(1)) >= 0
        && d.compareTo(Duration.ofDays(1)) <= 0,
        "--duration must be between 1s and 1 day, was " + d);
    check(lossP >= 0 && lossP < 1, "--loss must be in [0, 1), was " + lossP);
    check(dupP >= 0 && dupP < 1, "--duplication must be in [0, 1), was " + dupP);
    check(crash >= 0 && crash <= 1, "--crash-fraction must be in [0, 1], was " + crash);
    check(byz >= 0 && byz <= n - 2,
        "--byzantine must be in [0, nodes - 2] = [0, " + (n - 2) + "], was " + byz);
    boolean onLedger = ledger == null || ledger;
    int equiv = equivocators != null ? equivocators
        : jgroups > 0 || !onLedger ? 0 : (byz + 1) / 2;
    check(equiv >= 0 && equiv <= Math.max(0, byz),
        "--equivocators must be in [0, byzantine] = [0, " + Math.max(0, byz) + "], was " + equiv);
    check(equiv == 0 || onLedger, "--equivocators needs the ledger (not with --no-ledger)");
    check(rate > 0 && rate <= 10_000, "--tasks-per-second must be in (0, 10000], was " + rate);
    check(crossCheck >= 0 && crossCheck <= 1, "--cross-check must be in [0, 1], was " + crossCheck);
    return new DemoOptions(n, d, seed, lossP, dupP, crash, byz, equiv, part, rate, crossCheck,
        onLedger, jgroups, output, !noProgress);
  }

  private void check(boolean ok, String message) {
    if (!ok) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }

  @Override
  public Integer call() throws IOException {
    DemoOptions options = validated();
    PrintWriter out = spec.commandLine().getOut();
    ProgressBar bar = new ProgressBar(out, options.progress(), System.console() != null);
    DemoResult result = new DemoRun(options).run(bar);
    bar.finish();
    out.print(result.summary());
    Path report = options.output().toAbsolutePath();
    HtmlReport.write(result, report);
    out.printf(Locale.ROOT, "report: %s%n", report);
    out.flush();
    return 0;
  }

  /** Accepts {@code 60s}, {@code 2m}, {@code 1500ms}, {@code 1h} or ISO-8601 ({@code PT1M}). */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      try {
        if (v.startsWith("pt")) {
          return Duration.parse(value.trim());
        }
        if (v.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        return switch (v.charAt(v.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          default -> throw new CommandLine.TypeConversionException(
              "'" + value + "' is not a duration (try 60s, 2m, 1500ms)");
        };
      } catch (RuntimeException e) {
        if (e instanceof CommandLine.TypeConversionException t) {
          throw t;
        }
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a duration (try 60s, 2m, 1500ms)");
      }
    }
  }
}
