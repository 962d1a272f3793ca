/**
 * Self-optimization of a node: architecture search, mixed-precision auto-quantization and resource
 * allocation. Nothing is implemented yet; this package marks where it will live.
 */
package io.github.edgenet.optimize;
