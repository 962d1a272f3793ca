/**
 * edgenet swarm: swarm coordination, the JGroups transport and the {@code EdgeNode} facade. The top
 * of the module graph: it may use every other library module.
 */
module io.github.edgenet.swarm {
  requires transitive io.github.edgenet.core;
  requires transitive io.github.edgenet.lora;
  requires transitive io.github.edgenet.learning;
  requires transitive io.github.edgenet.optimize;
  requires transitive io.github.edgenet.economy;
  requires org.jgroups;
  requires java.sql;
  requires org.xerial.sqlitejdbc;
  requires HdrHistogram;
  requires info.picocli;
  requires java.logging; // the demo program quiets JGroups' INFO lines (java.util.logging)

  exports io.github.edgenet.swarm.node;
  exports io.github.edgenet.swarm.net;
  exports io.github.edgenet.swarm.protocol;
  exports io.github.edgenet.swarm.allocation;
  exports io.github.edgenet.swarm.stigmergy;
  exports io.github.edgenet.swarm.consensus;
  exports io.github.edgenet.swarm.memory;

  // picocli reads the demo's options reflectively.
  opens io.github.edgenet.swarm.demo to info.picocli;
}
