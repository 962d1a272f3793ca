package io.github.edgenet.swarm.protocol;

/**
 * The envelope {@code type} values of the swarm algorithms' messages (see core's {@code
 * EnvelopeSender#encode(int, byte[])}). A host that multiplexes several protocols on one endpoint
 * dispatches on these. Constants only.
 */
public final class SwarmMessageTypes {
  /** A consensus opinion: exhibited option, certainty, round. */
  public static final int CONSENSUS_OPINION = 0x5201;
  /** Task-allocation sufficient statistics of one origin. */
  public static final int ALLOCATION_STATS = 0x5202;
  /** Pheromone max-registers of one origin. */
  public static final int PHEROMONE_FIELD = 0x5203;
  /** Semantic patterns of collective memory. */
  public static final int MEMORY_PATTERNS = 0x5204;

  private SwarmMessageTypes() {}
}
