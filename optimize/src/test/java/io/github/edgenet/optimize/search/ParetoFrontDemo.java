package io.github.edgenet.optimize.search;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.RandomSource;
import io.github.edgenet.lora.WeightFormat;
import io.github.edgenet.lora.model.Activation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The larger runs recorded in docs/optimize.md; not part of the suite (minutes of training). Run
 * with {@code ./mvnw -B -q -pl optimize verify -Dtest=ParetoFrontDemo
 * -Dsurefire.failIfNoSpecifiedTests=false -Dedgenet.test.argLine="--add-modules
 * jdk.incubator.vector -Dedgenet.optimize.demo=true"}; prints markdown tables and writes {@code
 * target/pareto.svg}. Latency is measured with the system clock (one-sample forward, median of 5
 * rounds of 200), so it varies with the machine's load.
 */
@EnabledIfSystemProperty(named = "edgenet.optimize.demo", matches = "true")
class ParetoFrontDemo {
  static final DigitsSplit.Split DATA = DigitsSplit.split(42);

  @Test
  void largerRuns() throws IOException {
    MlpEvaluator mlp = MlpEvaluator.builder(DATA.train().x(), DATA.train().y(), DATA.valid().x(),
            DATA.valid().y(), DigitsSplit.PIXELS, DigitsSplit.CLASSES)
        .epochs(5).random(RandomSource.seeded(9)).clock(Clock.system()).build();
    SearchSpace space = DigitsSearchTest.SPACE;

    System.out.println("| seed | aging evolution | random search |");
    System.out.println("|---|---|---|");
    double sa = 0;
    double sr = 0;
    for (long seed = 1; seed <= 5; seed++) {
      double a = SearchEngine.builder(space, mlp).strategy(Strategy.agingEvolution(20, 5))
          .maxMemoryBytes(1536).canonical(MlpEvaluator::canonical)
          .executor(SearchEngine.virtualThreads()).batchSize(2).build()
          .run(RandomSource.seeded(seed), 100).best().orElseThrow().evaluation().accuracy();
      double r = SearchEngine.builder(space, mlp).strategy(Strategy.randomSearch())
          .maxMemoryBytes(1536).canonical(MlpEvaluator::canonical)
          .executor(SearchEngine.virtualThreads()).batchSize(2).build()
          .run(RandomSource.seeded(seed), 100).best().orElseThrow().evaluation().accuracy();
      System.out.printf(Locale.ROOT, "| %d | %.4f | %.4f |%n", seed, a, r);
      sa += a / 5;
      sr += r / 5;
    }
    System.out.printf(Locale.ROOT, "| mean | %.4f | %.4f |%n%n", sa, sr);

    SearchResult last = SearchEngine.builder(space, mlp).strategy(Strategy.nsga2(40))
        .maxMemoryBytes(8192).canonical(MlpEvaluator::canonical)
        .executor(SearchEngine.virtualThreads()).build()
        .stream(RandomSource.seeded(7)).limit(8).reduce((x, y) -> y).orElseThrow();
    List<Scored> front = last.paretoFront();
    assertFalse(front.isEmpty());
    System.out.println("evaluations " + last.evaluations() + ", front " + front.size());
    // The accuracy-memory trade-off: front members no other member beats on both.
    List<Scored> twoD = front.stream().filter(p -> front.stream().noneMatch(q ->
        q.evaluation().accuracy() >= p.evaluation().accuracy()
            && q.evaluation().memoryBytes() <= p.evaluation().memoryBytes()
            && (q.evaluation().accuracy() > p.evaluation().accuracy()
                || q.evaluation().memoryBytes() < p.evaluation().memoryBytes()))).toList();
    System.out.println("| accuracy | latency (us) | memory (bytes) | architecture |");
    System.out.println("|---|---|---|---|");
    for (Scored s : twoD) {
      MlpEvaluator.Architecture a = MlpEvaluator.decode(s.candidate());
      System.out.printf(Locale.ROOT, "| %.4f | %.2f | %d | 64 -> %s -> 10 %s, %s |%n",
          s.evaluation().accuracy(), s.evaluation().latencyNanos() / 1000,
          s.evaluation().memoryBytes(), a.hiddenWidths(), a.activation(), a.formats());
    }
    Files.writeString(Path.of("target", "pareto.svg"), svg(twoD, front));
  }

  /**
   * Accuracy against memory (log scale): the accuracy-memory front in blue, the rest of the
   * three-objective front (points kept by their latency) in grey.
   */
  static String svg(List<Scored> front, List<Scored> population) {
    int w = 640;
    int h = 400;
    double minM = Math.log10(200);
    double maxM = Math.log10(40_000);
    double minA = 0.5;
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"")
        .append(h).append("\" font-family=\"sans-serif\" font-size=\"12\">\n")
        .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
        .append("<line x1=\"60\" y1=\"350\" x2=\"620\" y2=\"350\" stroke=\"black\"/>\n")
        .append("<line x1=\"60\" y1=\"20\" x2=\"60\" y2=\"350\" stroke=\"black\"/>\n")
        .append("<text x=\"340\" y=\"390\" text-anchor=\"middle\">weight memory (bytes, log)</text>\n")
        .append("<text x=\"15\" y=\"185\" transform=\"rotate(-90 15 185)\" text-anchor=\"middle\">")
        .append("validation accuracy</text>\n");
    for (int m : new int[] {256, 1024, 4096, 16384}) {
      double x = 60 + 560 * (Math.log10(m) - minM) / (maxM - minM);
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"366\" text-anchor=\"middle\">%d"
          + "</text>%n", x, m));
    }
    for (double a = 0.5; a <= 1.0001; a += 0.1) {
      double y = 350 - 330 * (a - minA) / (1 - minA);
      s.append(String.format(Locale.ROOT, "<text x=\"55\" y=\"%.1f\" text-anchor=\"end\">%.1f"
          + "</text>%n", y + 4, a));
    }
    for (List<Scored> set : List.of(population, front)) { // population: the full front here
      String color = set == front ? "#1f5fbf" : "#aaaaaa";
      for (Scored p : set) {
        double m = Math.log10(Math.max(200, p.evaluation().memoryBytes()));
        double x = 60 + 560 * (Math.min(m, maxM) - minM) / (maxM - minM);
        double y = 350 - 330 * (Math.max(minA, p.evaluation().accuracy()) - minA) / (1 - minA);
        s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\"/>"
            + "%n", x, y, set == front ? 5 : 3, color));
      }
    }
    return s.append("</svg>\n").toString();
  }
}
