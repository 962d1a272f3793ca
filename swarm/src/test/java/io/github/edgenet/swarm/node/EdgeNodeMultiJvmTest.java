package io.github.edgenet.swarm.node;

import io.github.edgenet.core.testing.ChildJvms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.edgenet.core.Clock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Three separate JVMs on 127.0.0.1, each an {@link EdgeNode} on JGroups TCP ({@link
 * EdgeNodeChild}), found through the first one's port: each submits {@link #TASKS} tasks that the
 * two others run, and all of them complete with the right bytes.
 */
class EdgeNodeMultiJvmTest {
  private static final int N = 3;
  private static final int TASKS = 10;
  private static final long TIMEOUT_SECONDS = 60;
  private static final List<Process> processes = new ArrayList<>();

  private record Child(Process process, BlockingQueue<String> lines) {}

  @AfterAll
  static void killChildren() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void threeJvmsCompleteEachOthersTasks() throws Exception {
    long started = Clock.system().nanos();
    String cluster = "edgenode-jvms-" + ProcessHandle.current().pid();
    List<Child> children = new ArrayList<>();
    try {
      children.add(start(cluster, 0, 0));
      int seedPort = Integer.parseInt(expect(children.get(0), "LISTEN "));
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
      int completedAll = 0;
      for (int i = 0; i < N; i++) {
        String[] parts = expect(children.get(i), "DONE ").split(" ");
        assertEquals("ok=" + TASKS, parts[0], "child " + i + " correct results");
        assertEquals("of", parts[1]);
        assertEquals(String.valueOf(TASKS), parts[2]);
        assertTrue(parts[3].startsWith("by="), parts[3]);
        int count = 0;
        for (String entry : parts[3].substring(3).split(",")) {
          String[] kv = entry.split(":");
          assertTrue(ids.contains(kv[0]), "ran by a cluster member: " + entry);
          assertTrue(!kv[0].equals(ids.get(i)), "child " + i + " ran its own task: " + entry);
          count += Integer.parseInt(kv[1]);
        }
        assertEquals(TASKS, count, "child " + i + " providers of its completed tasks");
        completedAll += count;
      }
      for (Child c : children) {
        c.process.getOutputStream().close(); // lets the child report, leave and exit
      }
      long executions = 0;
      for (int i = 0; i < N; i++) {
        String[] parts = expect(children.get(i), "RAN ").split(" ");
        executions += Long.parseLong(parts[0]);
        assertEquals("rejected=0", parts[1], "child " + i);
      }
      assertEquals(completedAll, executions, "each task ran exactly once, somewhere");
      for (int i = 0; i < N; i++) {
        Process p = children.get(i).process;
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "child " + i + " exits");
        assertEquals(0, p.exitValue(), "child " + i + " exit status");
      }
      System.out.printf("%d JVMs completed %d tasks for each other in %d ms (with JVM start)%n",
          N, completedAll, (Clock.system().nanos() - started) / 1_000_000);
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
        "-Xmx128m", "--add-modules", "jdk.incubator.vector",
        "--enable-native-access=ALL-UNNAMED", "-cp", ChildJvms.classPath(EdgeNodeChild.class),
        EdgeNodeChild.class.getName(), cluster, String.valueOf(seedPort), String.valueOf(N),
        String.valueOf(index), String.valueOf(TASKS)));
    Process p = new ProcessBuilder(cmd)
        .redirectError(Path.of("target", "edgenode-child-" + index + ".err").toFile())
        .start();
    processes.add(p);
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread.ofPlatform().daemon(true).start(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          System.out.println("child " + index + ": " + line);
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("FAIL reading: " + e);
      }
      lines.add("EOF");
    });
    return new Child(p, lines);
  }

  private static String expect(Child c, String prefix) throws InterruptedException {
    String line = c.lines.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (line == null) {
      fail("no line from a child within " + TIMEOUT_SECONDS + " s");
    }
    if (!line.startsWith(prefix)) {
      fail("expected " + prefix + "..., got " + line);
    }
    return line.substring(prefix.length());
  }
}
