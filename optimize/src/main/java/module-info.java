/**
 * edgenet optimize: architecture search, auto-quantization and resource allocation. Depends on
 * {@code io.github.edgenet.lora} and core.
 */
module io.github.edgenet.optimize {
  requires transitive io.github.edgenet.core;
  requires transitive io.github.edgenet.lora;
}
