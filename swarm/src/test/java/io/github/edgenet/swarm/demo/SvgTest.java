package io.github.edgenet.swarm.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SvgTest {
  private static int count(String s, String what) {
    return s.split(Pattern.quote(what), -1).length - 1;
  }

  @Test
  void missingValuesAreGapsNotZeros() {
    double nan = Double.NaN;
    String svg = new Svg.Line("t", "y")
        .series(new Svg.Series("a", new double[] {1, nan, 2, 3, nan, nan, 4, 5, 6})).render();
    // 1 alone (a dot), then 2-3 and 4-5-6 (two lines); nothing drawn at y = 0 for the gaps
    assertEquals(1, count(svg, "<circle"), svg);
    assertEquals(2, count(svg, "<polyline"), svg);
    assertTrue(!svg.contains("NaN"), svg);
    String empty = new Svg.Line("t", "y").series(new Svg.Series("a", new double[] {nan, nan}))
        .render();
    assertEquals(0, count(empty, "<polyline") + count(empty, "<circle"));
  }

  @Test
  void aLogAxisSpansTheDecadesOfTheData() {
    String svg = new Svg.Line("t", "y").logY()
        .series(new Svg.Series("e", new double[] {0.5, 0.02, 3e-4, 0, Double.NaN})).render();
    for (String tick : new String[] {">1<", ">0.1<", ">0.01<", ">1e-3<", ">1e-4<"}) {
      assertTrue(svg.contains(tick), tick + " in " + svg);
    }
    assertTrue(!svg.contains(">10<"), "no decade above the data");
    // the largest value sits below the top, the smallest above the bottom
    Matcher m = Pattern.compile("points=\"([^\"]+)\"").matcher(svg);
    assertTrue(m.find());
    List<Double> ys = new ArrayList<>();
    for (String p : m.group(1).trim().split(" ")) {
      ys.add(Double.parseDouble(p.split(",")[1]));
    }
    assertEquals(3, ys.size(), "0 and NaN are gaps on a log axis");
    assertTrue(ys.get(0) < ys.get(1) && ys.get(1) < ys.get(2), ys.toString());
    assertTrue(ys.get(0) >= 28 && ys.get(2) <= 240 - 36, ys.toString());
  }

  @Test
  void legendEntriesDoNotOverlap() {
    String svg = new Svg.Line("t", "y")
        .series(new Svg.Series("a rather long series name", new double[] {1, 2}))
        .series(new Svg.Series("another long series name", new double[] {2, 1})).render();
    Matcher m = Pattern.compile("<rect x=\"([0-9.]+)\" y=\"226\" width=\"10\"").matcher(svg);
    List<Double> xs = new ArrayList<>();
    while (m.find()) {
      xs.add(Double.parseDouble(m.group(1)));
    }
    assertEquals(2, xs.size(), svg);
    assertTrue(xs.get(1) - xs.get(0) > 14 + 6 * "a rather long series name".length(), xs.toString());
  }

  @Test
  void placeholdersAndHistogramsEscapeTheirText() {
    String p = Svg.placeholder("A <chart>", "not wired: x & y");
    assertTrue(p.contains("A &lt;chart&gt;") && p.contains("x &amp; y"), p);
    String h = Svg.histogram("h", "n", List.of("0.0", "0.5"), List.of(
        new Svg.Series("honest", new double[] {3, 1}), new Svg.Series("bad", new double[] {0, 2})));
    assertEquals(4 + 2, count(h, "<rect"), "four bars and two legend keys: " + h);
  }
}
