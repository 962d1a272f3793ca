package io.github.edgenet.swarm.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.edgenet.core.net.sim.NetworkSimulator;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The README's "embed an EdgeNode" example, compiled and run so that it cannot rot. */
class EmbedExampleTest {

  @Test
  void theReadmeExampleRuns() {
    // --- README example: begin ---
    NetworkSimulator sim = NetworkSimulator.builder().seed(42).build(); // or a real transport
    EdgeNode worker = EdgeNode.builder()
        .simulator(sim)
        .executor("upper", 5, ctx -> new String(ctx.payload(), UTF_8).toUpperCase().getBytes(UTF_8))
        .build();                                     // runs "upper" tasks at 5 micro-units each
    EdgeNode host = EdgeNode.builder().simulator(sim).build();
    host.addListener(event -> System.out.println(event.step() + " " + event.detail()));

    float[] embedding = new float[16];                // routes the task to a LoRA adapter
    embedding[0] = 1;
    Task task = new Task("upper", "hello".getBytes(UTF_8), embedding, 10, Duration.ofSeconds(5));
    CompletableFuture<byte[]> result = host.submit(task);

    sim.runFor(Duration.ofSeconds(1));                // virtual time: request, offer, award, result
    System.out.println(new String(result.join(), UTF_8));           // HELLO, computed on the worker
    System.out.println(host.metrics().latencyP50Nanos() + " ns");   // and the metrics say how fast
    host.close();
    worker.close();
    // --- README example: end ---
    assertEquals("HELLO", new String(result.join(), UTF_8));
    assertEquals(1, worker.metrics().executions());
  }
}
