package io.github.edgenet.swarm.net;

import io.github.edgenet.core.testing.ChildJvms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Three separate JVMs on 127.0.0.1 (each runs {@link ChildNode}) form one TCP cluster through the
 * first one's port and answer each other's signed requests; then one is killed and the two others
 * see it leave their view, and exit cleanly.
 */
class MultiJvmClusterTest {
  private static final int N = 3;
  private static final long TIMEOUT_SECONDS = 60;

  /** A child process, its output lines other than views, and the view sizes it reported. */
  private record Child(Process process, BlockingQueue<String> lines, List<Integer> views) {}

  @Test
  void threeJvmsAnswerEachOthersSignedRequestsAndDetectAKilledOne() throws Exception {
    String cluster = "jvms-" + ProcessHandle.current().pid();
    List<Child> children = new ArrayList<>();
    try {
      children.add(start(cluster, 0, 0));
      String listen = expect(children.get(0), "LISTEN ");
      int seedPort = Integer.parseInt(listen);
      for (int i = 1; i < N; i++) {
        children.add(start(cluster, seedPort, i));
      }
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < N; i++) {
        if (i > 0) {
          expect(children.get(i), "LISTEN ");
        }
        ids.add(expect(children.get(i), "ID "));
      }
      assertEquals(N, new HashSet<>(ids).size(), "distinct ids " + ids);
      for (int i = 0; i < N; i++) {
        Set<String> answeredBy = new LinkedHashSet<>();
        String line;
        while (!(line = next(children.get(i))).equals("DONE")) {
          String[] parts = line.split(" ");
          assertEquals("OK", parts[0], "child " + i + ": " + line);
          assertEquals(String.valueOf(ChildNode.REQUESTS), parts[2], line);
          answeredBy.add(parts[1]);
        }
        Set<String> others = new HashSet<>(ids);
        others.remove(ids.get(i));
        assertEquals(others, answeredBy, "child " + i + " got verified answers from both others");
      }
      // A crash, not a leave: the others' failure detection must remove the killed JVM.
      long killedAt = io.github.edgenet.core.Clock.system().nanos();
      children.get(N - 1).process.destroyForcibly();
      for (int i = 0; i < N - 1; i++) {
        List<Integer> views = children.get(i).views;
        Await.until(() -> !views.isEmpty() && views.get(views.size() - 1) == N - 1,
            java.time.Duration.ofSeconds(TIMEOUT_SECONDS), () -> "a view of " + (N - 1) + " in "
            + views);
      }
      System.out.printf("killed JVM removed from both views after %d ms%n",
          (io.github.edgenet.core.Clock.system().nanos() - killedAt) / 1_000_000);
      for (int i = 0; i < N - 1; i++) {
        children.get(i).process.getOutputStream().close(); // lets the child leave and exit
      }
      for (int i = 0; i < N - 1; i++) {
        Process p = children.get(i).process;
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "child " + i + " exits");
        assertEquals(0, p.exitValue(), "child " + i + " exit status");
      }
    } finally {
      for (Child c : children) {
        c.process.destroyForcibly();
      }
    }
  }

  private static Child start(String cluster, int seedPort, int index) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> cmd = new ArrayList<>(List.of(java,
        "-Djava.net.preferIPv4Stack=true", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Xmx128m", "-cp", ChildJvms.classPath(ChildNode.class), ChildNode.class.getName(),
        cluster, String.valueOf(seedPort), String.valueOf(N), String.valueOf(9000 + index)));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectError(Path.of("target", "child-" + index + ".err").toFile());
    Process p = pb.start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    List<Integer> views = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread.ofPlatform().daemon(true).start(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          System.out.println("child " + index + ": " + line);
          if (line.startsWith("VIEW ")) {
            views.add(Integer.parseInt(line.substring(5)));
          } else {
            lines.add(line);
          }
        }
      } catch (IOException e) {
        lines.add("FAIL reading: " + e);
      }
      lines.add("EOF");
    });
    return new Child(p, lines, views);
  }

  private static String next(Child c) throws InterruptedException {
    String line = c.lines.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (line == null) {
      fail("no line from a child within " + TIMEOUT_SECONDS + " s");
    }
    if (line.startsWith("FAIL") || line.equals("EOF")) {
      fail("child failed: " + line);
    }
    return line;
  }

  private static String expect(Child c, String prefix) throws InterruptedException {
    String line = next(c);
    if (!line.startsWith(prefix)) {
      fail("expected " + prefix + "..., got " + line);
    }
    return line.substring(prefix.length());
  }
}
