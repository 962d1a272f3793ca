package io.github.edgenet.swarm.node;

/**
 * Runs tasks of one type on the node that won them; registered with {@link
 * EdgeNode.Builder#executor(String, long, TaskExecutor)}.
 *
 * <p>Called on the node's runner ({@link EdgeNode.Builder#runTasksOn}): inline on the simulator's
 * thread, one call at a time; with the default runner on a real network, on a virtual thread per
 * run, so calls for different tasks may overlap and an executor must be thread-safe. It is called
 * at most once per task and role (the result is stored before it is sent, so a repeated award is
 * answered from storage). It
 * should be deterministic in its context: a submitter may have a second node re-execute the task
 * and compare the bytes. For a learned type (registered with a {@link TaskObjective}) the context's
 * adapter is a frozen version of the type's shared adapter, and two providers may hold different
 * versions: such types are not cross-checked byte for byte ({@link
 * EdgeNode.Builder#adaptive(String)}); their submitters rely on a {@link ResultVerifier}.
 */
@FunctionalInterface
public interface TaskExecutor {

  /**
   * Runs one task.
   *
   * @param context the task, its embedding and the selected adapter
   * @return the result bytes, at most {@link EdgeNodeConfig#maxResultBytes()} long
   * @throws Exception if the task cannot be run; the submitter is told the execution failed and
   *     moves on to its next candidate
   */
  byte[] execute(TaskContext context) throws Exception;
}
