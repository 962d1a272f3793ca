/** Implementation details of the swarm algorithms: wire codecs and samplers. Not exported. */
package io.github.edgenet.swarm.internal;
