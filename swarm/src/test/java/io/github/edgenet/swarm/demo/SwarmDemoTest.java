package io.github.edgenet.swarm.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SwarmDemoTest {
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SwarmDemo.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"--nodes=abc", "--nodes=1", "--duration=forever", "--duration=0s",
      "--loss=1.5", "--byzantine=-1", "--cross-check=2", "--tasks-per-second=0", "--frobnicate"})
  void badOptionsExitWithTwoAndSayWhatIsWrong(String option) {
    Run r = run(option, "--no-progress");
    assertEquals(2, r.code(), r.err());
    String name = option.substring(2, option.contains("=") ? option.indexOf('=') : option.length());
    assertTrue(r.err().contains(name), "error names the option: " + r.err());
    assertTrue(r.err().contains("Usage:"), r.err());
  }

  @Test
  void tooManyByzantineNodesAreRefused() {
    Run r = run("--nodes=5", "--byzantine=4");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--byzantine must be in [0, nodes - 2] = [0, 3], was 4"), r.err());
  }

  @Test
  void helpExitsWithZeroAndListsTheOptions() {
    Run r = run("--help");
    assertEquals(0, r.code());
    for (String o : new String[] {"--nodes", "--duration", "--seed", "--loss", "--byzantine",
        "partition", "--output"}) {
      assertTrue(r.out().contains(o), o);
    }
  }

  @Test
  void aSmallRunPrintsASummaryAndWritesAReportWithCharts(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("out/report.html");
    Run r = run("--nodes=24", "--duration=6s", "--seed=5", "--byzantine=2", "--no-progress",
        "--output=" + report);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("tasks "), r.out());
    String html = Files.readString(report);
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertEquals(6, html.split("<svg ", -1).length - 1, "six charts");
    assertTrue(html.contains("Rejected messages by reason"));
    assertTrue(!html.contains("<script"), "self-contained, no script");
    // same options, same run: the summary is identical apart from the wall time
    Run again = run("--nodes=24", "--duration=6s", "--seed=5", "--byzantine=2", "--no-progress",
        "--output=" + dir.resolve("again.html"));
    assertEquals(withoutWallTime(r.out()), withoutWallTime(again.out()));
  }

  private static String withoutWallTime(String s) {
    return s.replaceAll("wall time .*", "").replaceAll("report: .*", "");
  }
}
