package io.github.edgenet.core.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checked-in Panama kernels are what their templates generate: the build fails when someone
 * edits a generated file by hand, or a template without regenerating. Also pins the template
 * language on small inputs, so a change to the generator shows here before it shows as a diff of
 * a thousand generated lines.
 */
class KernelTemplateTest {
  static final List<String> GENERATED = KernelTemplate.GENERATED;

  /** Core's project directory: surefire runs the tests there. */
  private static Path packageDir() {
    return Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
        .resolve(KernelTemplate.PACKAGE_DIR);
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("GENERATED")
  void checkedInSourceIsWhatTheTemplateGenerates(String name) throws IOException {
    Path dir = packageDir();
    String template = Files.readString(dir.resolve(name + ".java.template"));
    String expected = KernelTemplate.generate(name, template);
    String actual = Files.readString(dir.resolve(name + ".java"));
    if (!expected.equals(actual)) {
      List<String> e = expected.lines().toList(), a = actual.lines().toList();
      int line = 0;
      while (line < Math.min(e.size(), a.size()) && e.get(line).equals(a.get(line))) {
        line++;
      }
      fail(name + ".java differs from what " + name + ".java.template generates, first at line "
          + (line + 1) + ":\n  generated:  " + (line < e.size() ? e.get(line) : "(end)")
          + "\n  checked in: " + (line < a.size() ? a.get(line) : "(end)")
          + "\nEdit the template, never the generated file, then regenerate from the repository"
          + " root:\n  java core/src/test/java/io/github/edgenet/core/internal/vector/"
          + "KernelTemplate.java");
    }
  }

  @Test
  void twinsAreEmittedForQ8ThenQ4WithTheirOwnLines() {
    String template = """
        before
        #twin
          void f$Q$() { g($BYTES$, $Q4$); }
        #if[Q8_0]
          // eight
        #else[Q8_0]
          // four
        #end[Q8_0]
        #if[Q4_0]
          // only four
        #end[Q4_0]
        #end[twin]
        after
        """;
    assertEquals("""
        before
          void fQ8_0() { g(32, false); }
          // eight
          void fQ4_0() { g(Q4_0_BYTES, true); }
          // four
          // only four
        after
        """, body(template));
  }

  @Test
  void laneSumIsTheFixedTreeOfFloatLanes() {
    String body = body("""
        #// a template comment
        #lanesum acc: float s = @acc;
        """);
    assertEquals(
        "acc = L == 16 ? (FloatVector) acc.add(acc.rearrange(FOLD_512))"
            + ".reinterpretShape(FloatVector.SPECIES_256, 0) : acc;\n"
            + "acc = L >= 8 ? (FloatVector) acc.add(acc.rearrange(FOLD_256))"
            + ".reinterpretShape(FloatVector.SPECIES_128, 0) : acc;\n"
            + "acc = acc.add(acc.rearrange(FOLD_128));\n"
            + "float s = acc.lane(0) + acc.lane(1);\n",
        body);
  }

  @Test
  void severalLaneSumsThenOneStatementAndWrappingPastTheColumnLimit() {
    String body = body("""
                    #lanesum p00 q00: float g = @p00, h = @q00;
        """);
    List<String> lines = body.lines().toList();
    assertEquals(11, lines.size(), body);
    assertEquals(".reinterpretShape(FloatVector.SPECIES_256, 0) : p00;", lines.get(1).strip());
    assertEquals("float g = p00.lane(0) + p00.lane(1), h = q00.lane(0) + q00.lane(1);",
        lines.get(10).strip());
    assertTrue(lines.stream().allMatch(l -> l.length() <= KernelTemplate.MAX_COLUMNS), body);
  }

  @Test
  void fourSumsInOneTreeNameTheirLanes() {
    String body = body("""
          #lanesum4 a b c d: x[0] = @a; x[1] = @b; x[2] = @c; x[3] = @d;
        """);
    assertEquals("""
          FloatVector ac = a.blend(c, UPPER_HALF).add(c.blend(a, UPPER_HALF).rearrange(HALF));
          FloatVector bd = b.blend(d, UPPER_HALF).add(d.blend(b, UPPER_HALF).rearrange(HALF));
          FloatVector sums = ac.blend(bd, UPPER_QUARTERS).add(bd.blend(ac, UPPER_QUARTERS).rearrange(QUARTER));
          sums = L >= 8 ? sums.add(sums.rearrange(EIGHTH)) : sums;
          sums = L >= 16 ? sums.add(sums.rearrange(SIXTEENTH)) : sums;
          x[0] = sums.lane(0);
          x[1] = sums.lane(SECOND);
          x[2] = sums.lane(THIRD);
          x[3] = sums.lane(FOURTH);
        """, body);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "#twin\nx\n",                          // unclosed twin
      "#end[twin]\n",                        // end without twin
      "#twin\n#if[Q8_0]\nx\n#end[twin]\n",   // unclosed if
      "#twin\n#if[Q5_1]\n#end[Q5_1]\n#end[twin]\n", // unknown format
      "#if[Q8_0]\n#end[Q8_0]\n",             // if outside a twin
      "#twin\n#else[Q4_0]\n#end[twin]\n",    // else without if
      "x $Q$\n",                             // variable outside a twin
      "#twin\n$NOPE$\n#end[twin]\n",         // unknown variable
      "#lanesum a: x = @b;\n",               // total of a vector not listed
      "#lanesum4 a b c: x;\n",               // three vectors for a four-way tree
      "#lanesum\n",                          // no vector
      "#repeat 4\n",                         // unknown directive
  })
  void malformedTemplatesAreRefusedWithTheirLine(String template) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KernelTemplate.generate("T", template));
    assertTrue(e.getMessage().startsWith("template line "), e.getMessage());
  }

  @Test
  void generatedLinesPastTheColumnLimitAreRefused() {
    String line = "int x; // " + "x".repeat(KernelTemplate.MAX_COLUMNS);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KernelTemplate.generate("T", line + "\n"));
    assertTrue(e.getMessage().startsWith("template line 1: generated line longer"), e.getMessage());
  }

  /** The generated text without the three-line header. */
  private static String body(String template) {
    String text = KernelTemplate.generate("T", template);
    assertTrue(text.startsWith("// GENERATED by KernelTemplate"), text);
    return text.lines().skip(3).reduce("", (x, y) -> x + y + "\n");
  }
}
