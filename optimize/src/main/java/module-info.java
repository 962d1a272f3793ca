/**
 * edgenet optimize: architecture search ({@code io.github.edgenet.optimize.search}),
 * mixed-precision auto-quantization ({@code .quantize}) and resource allocation ({@code
 * .allocate}). Depends on {@code io.github.edgenet.lora} and core.
 */
module io.github.edgenet.optimize {
  requires transitive io.github.edgenet.core;
  requires transitive io.github.edgenet.lora;

  exports io.github.edgenet.optimize.search;
  exports io.github.edgenet.optimize.quantize;
  exports io.github.edgenet.optimize.allocate;
}
