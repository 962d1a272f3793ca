package io.github.edgenet.core.internal.vector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates the Panama kernel sources from their templates: the flat code C2 needs (no helper
 * method may take a vector, see {@link FloatLanes}) from one source per algorithm.
 *
 * <p>The generated {@code PanamaBlockKernels.java} and {@code PanamaKernels.java} are checked in
 * beside their templates ({@code *.java.template} in the same package directory of core's main
 * sources, never compiled, never in a jar). {@code KernelTemplateTest} regenerates them in memory
 * and fails the build when a checked-in file differs. After editing a template, regenerate with
 * the JDK alone (this file is a single-file program):
 *
 * <pre>
 * java core/src/test/java/io/github/edgenet/core/internal/vector/KernelTemplate.java [core-dir]
 * </pre>
 *
 * <p>The template language is a small line-based one in the manner of the JDK's {@code Spp}
 * (which turns {@code X-Vector.java.template} into {@code FloatVector.java}, ...). A line whose
 * first non-blank character is {@code #} is a directive; every other line is Java, copied as it is
 * after {@code $NAME$} substitution:
 *
 * <ul>
 *   <li>{@code #//} a template comment, dropped.
 *   <li>{@code #twin} ... {@code #end[twin]}: the lines between are emitted twice, first for the
 *       Q8_0 block format, then for Q4_0, with {@code $Q$} = {@code Q8_0} / {@code Q4_0}, {@code
 *       $BYTES$} = {@code 32} / {@code Q4_0_BYTES} (bytes of quants per block) and {@code $Q4$} =
 *       {@code false} / {@code true}.
 *   <li>{@code #if[Q8_0]} (or {@code [Q4_0]}) ... {@code #else[Q8_0]} ... {@code #end[Q8_0]}: in a
 *       twin, lines for one format only (how its bytes unpack).
 *   <li>{@code #lanesum a b ...: statement}: the fixed-order lane sum of {@link FloatLanes} for
 *       each vector named (three lines each: the halvings to 256 and 128 bits, then lane i + lane
 *       i+2), then the statement, if any, with each {@code @a} replaced by {@code a.lane(0) +
 *       a.lane(1)}, the vector's total.
 *   <li>{@code #lanesum4 a b c d: statement}: the four totals in one merged tree (five lines, into
 *       the vector {@code sums}), then the statement with {@code @a}, {@code @b}, {@code @c},
 *       {@code @d} replaced by {@code sums.lane(0)}, {@code sums.lane(SECOND)}, {@code sums.lane(THIRD)},
 *       {@code sums.lane(FOURTH)}.
 * </ul>
 *
 * A statement part may hold several statements ({@code "; "} separates them); each goes on its own
 * line. Generated lines longer than {@value #MAX_COLUMNS} columns are wrapped where the lane sum
 * has a natural break, else refused, as is anything malformed: an unknown directive or
 * {@code $NAME$}, an unbalanced {@code #if}/{@code #twin}, an {@code @name} the directive did not
 * list.
 */
final class KernelTemplate {
  /** The generated classes, each from {@code <name>.java.template} in the same directory. */
  static final List<String> GENERATED = List.of("PanamaBlockKernels", "PanamaKernels");

  /** The package directory, relative to core's project directory. */
  static final String PACKAGE_DIR = "src/main/java/io/github/edgenet/core/internal/vector";

  static final int MAX_COLUMNS = 120;

  private static final String[] FORMATS = {"Q8_0", "Q4_0"};
  private static final Pattern VARIABLE = Pattern.compile("\\$(\\w*)\\$");
  private static final Pattern TOTAL = Pattern.compile("@(\\w+)");
  private static final Pattern DIRECTIVE = Pattern.compile("#(\\w+)(?:\\[(\\w+)])?(.*)");

  private KernelTemplate() {}

  /**
   * Writes every generated file from its template.
   *
   * @param args core's project directory (default {@code core}, for a run from the repository's
   *     root)
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "core").resolve(PACKAGE_DIR);
    for (String name : GENERATED) {
      Path target = dir.resolve(name + ".java");
      String text = generate(name, Files.readString(dir.resolve(name + ".java.template")));
      boolean same = Files.exists(target) && Files.readString(target).equals(text);
      if (!same) {
        Files.writeString(target, text, StandardCharsets.UTF_8);
      }
      System.out.println((same ? "unchanged " : "wrote ") + target);
    }
  }

  /**
   * The generated source of one class.
   *
   * @param name the class, which names its template in the header
   * @param template the template's text
   * @return the Java source, with a header saying where it comes from
   * @throws IllegalArgumentException if the template is malformed (the message names the line)
   */
  static String generate(String name, String template) {
    StringBuilder out = new StringBuilder()
        .append("// GENERATED by KernelTemplate (core's test sources) from ").append(name)
        .append(".java.template:\n")
        .append("// edit the template and regenerate, never this file. KernelTemplateTest fails the build\n")
        .append("// when the two differ.\n");
    List<String> lines = template.lines().toList();
    List<String> twin = null;
    int twinStart = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String directive = line.strip();
      if (directive.equals("#twin")) {
        check(twin == null, i, "#twin inside #twin");
        twin = new ArrayList<>();
        twinStart = i + 1;
      } else if (directive.equals("#end[twin]")) {
        check(twin != null, i, "#end[twin] without #twin");
        for (String format : FORMATS) {
          expand(twin, twinStart, format, out);
        }
        twin = null;
      } else if (twin != null) {
        twin.add(line);
      } else {
        expand(List.of(line), i, null, out);
      }
    }
    check(twin == null, lines.size(), "#twin without #end[twin]");
    return out.toString();
  }

  /** Expands lines (the first at template index {@code first}) for a format, or none. */
  private static void expand(List<String> lines, int first, String format, StringBuilder out) {
    Map<String, String> vars = new LinkedHashMap<>();
    if (format != null) {
      boolean q4 = format.equals("Q4_0");
      vars.put("Q", format);
      vars.put("BYTES", q4 ? "Q4_0_BYTES" : "32");
      vars.put("Q4", Boolean.toString(q4));
    }
    Deque<Boolean> active = new ArrayDeque<>(); // per open #if: whether its current branch is on
    Deque<String> open = new ArrayDeque<>();
    for (int k = 0; k < lines.size(); k++) {
      int at = first + k;
      String line = lines.get(k);
      String stripped = line.strip();
      boolean on = !active.contains(false);
      if (!stripped.startsWith("#")) {
        if (on) {
          emit(substitute(line, vars, at), at, out);
        }
        continue;
      }
      if (stripped.startsWith("#//")) {
        continue;
      }
      Matcher m = DIRECTIVE.matcher(stripped);
      check(m.matches(), at, "malformed directive");
      String word = m.group(1), arg = m.group(2), rest = m.group(3);
      switch (word) {
        case "if" -> {
          check(format != null, at, "#if outside #twin");
          check(List.of(FORMATS).contains(arg), at, "unknown format " + arg);
          open.push(arg);
          active.push(arg.equals(format));
        }
        case "else" -> {
          check(arg != null && arg.equals(open.peek()), at, "#else[" + arg + "] outside its #if");
          active.push(!active.pop());
        }
        case "end" -> {
          check(arg != null && arg.equals(open.peek()), at, "#end[" + arg + "] closes no #if");
          open.pop();
          active.pop();
        }
        case "lanesum", "lanesum4" -> {
          check(arg == null, at, "#" + word + " takes no [argument]");
          if (on) {
            String indent = line.substring(0, line.indexOf('#'));
            laneSum(word.equals("lanesum4"), substitute(rest, vars, at), indent, at, out);
          }
        }
        default -> throw new IllegalArgumentException(where(at) + "unknown directive #" + word);
      }
    }
    check(open.isEmpty(), first + lines.size(), "#if[" + open.peek() + "] without #end");
  }

  /** A lane-sum directive's lines: {@code "a b ...: statement"} or {@code "a b ..."}. */
  private static void laneSum(
      boolean merged, String spec, String indent, int at, StringBuilder out) {
    int colon = spec.indexOf(':');
    String[] vectors = (colon < 0 ? spec : spec.substring(0, colon)).strip().split("\\s+");
    String statement = colon < 0 ? "" : spec.substring(colon + 1).strip();
    Map<String, String> totals = new LinkedHashMap<>();
    if (merged) {
      check(vectors.length == 4, at, "#lanesum4 names four vectors");
      String a = vectors[0], b = vectors[1], c = vectors[2], d = vectors[3];
      emit(indent + "FloatVector ac = " + a + ".blend(" + c + ", UPPER_HALF).add(" + c
          + ".blend(" + a + ", UPPER_HALF).rearrange(HALF));", at, out);
      emit(indent + "FloatVector bd = " + b + ".blend(" + d + ", UPPER_HALF).add(" + d
          + ".blend(" + b + ", UPPER_HALF).rearrange(HALF));", at, out);
      emit(indent + "FloatVector sums = ac.blend(bd, UPPER_QUARTERS)"
          + ".add(bd.blend(ac, UPPER_QUARTERS).rearrange(QUARTER));", at, out);
      emit(indent + "sums = L >= 8 ? sums.add(sums.rearrange(EIGHTH)) : sums;", at, out);
      emit(indent + "sums = L >= 16 ? sums.add(sums.rearrange(SIXTEENTH)) : sums;", at, out);
      String[] lanes = {"0", "SECOND", "THIRD", "FOURTH"};
      for (int i = 0; i < 4; i++) {
        totals.put(vectors[i], "sums.lane(" + lanes[i] + ")");
      }
    } else {
      check(vectors.length > 0 && !vectors[0].isEmpty(), at, "#lanesum names no vector");
      for (String v : vectors) {
        check(v.matches("\\w+"), at, "not a vector name: " + v);
        halve(indent, v, "FOLD_512", "L == 16", "SPECIES_256", at, out);
        halve(indent, v, "FOLD_256", "L >= 8", "SPECIES_128", at, out);
        emit(indent + v + " = " + v + ".add(" + v + ".rearrange(FOLD_128));", at, out);
        totals.put(v, v + ".lane(0) + " + v + ".lane(1)");
      }
    }
    if (statement.isEmpty()) {
      return;
    }
    Matcher m = TOTAL.matcher(statement);
    StringBuilder s = new StringBuilder();
    while (m.find()) {
      String total = totals.get(m.group(1));
      check(total != null, at, "@" + m.group(1) + " is not a vector of this directive");
      m.appendReplacement(s, Matcher.quoteReplacement(total));
    }
    m.appendTail(s);
    for (String one : s.toString().split("(?<=;) ")) {
      emit(indent + one.strip(), at, out);
    }
  }

  /**
   * One halving: {@code v = <if> ? (FloatVector) v.add(v.rearrange(<fold>)).reinterpretShape(...)
   * : v;}, wrapped before {@code .reinterpretShape} when too long.
   */
  private static void halve(String indent, String v, String fold, String condition, String narrow,
      int at, StringBuilder out) {
    String head = indent + v + " = " + condition + " ? (FloatVector) " + v + ".add(" + v
        + ".rearrange(" + fold + "))";
    String shape = ".reinterpretShape(FloatVector." + narrow + ", 0)";
    String tail = " : " + v + ";";
    String more = indent + "    ";
    if ((head + shape + tail).length() <= MAX_COLUMNS) {
      emit(head + shape + tail, at, out);
    } else {
      emit(head, at, out);
      emit(more + shape + tail, at, out);
    }
  }

  private static String substitute(String line, Map<String, String> vars, int at) {
    Matcher m = VARIABLE.matcher(line);
    StringBuilder s = new StringBuilder();
    while (m.find()) {
      String value = vars.get(m.group(1));
      check(value != null, at,
          "unknown $" + m.group(1) + "$" + (vars.isEmpty() ? " outside #twin" : ""));
      m.appendReplacement(s, Matcher.quoteReplacement(value));
    }
    m.appendTail(s);
    return s.toString();
  }

  private static void emit(String line, int at, StringBuilder out) {
    check(line.length() <= MAX_COLUMNS, at,
        "generated line longer than " + MAX_COLUMNS + ": " + line);
    out.append(line.stripTrailing()).append('\n');
  }

  private static void check(boolean ok, int at, String message) {
    if (!ok) {
      throw new IllegalArgumentException(where(at) + message);
    }
  }

  private static String where(int at) {
    return "template line " + (at + 1) + ": ";
  }
}
