/**
 * Collective memory: episodic traces consolidated into semantic patterns, confidence-weighted
 * cosine recall (SIMD, allocation-free, optionally through an exact-by-construction Q8_0 index),
 * patterns shared with peers. Entry point: {@link io.github.edgenet.swarm.memory.CollectiveMemory}.
 */
package io.github.edgenet.swarm.memory;
