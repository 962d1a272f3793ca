/**
 * Node identities: Ed25519 key pairs ({@link io.github.edgenet.core.identity.NodeIdentity}), the
 * public {@link io.github.edgenet.core.identity.NodeId} peers know a node by, fast verification
 * with a per-peer key cache ({@link io.github.edgenet.core.identity.SignatureVerifier}), and
 * password-encrypted key files ({@link io.github.edgenet.core.identity.KeyFile}).
 *
 * <p>All public types are immutable or thread-safe. Verification returns {@code false} for any
 * invalid key or signature; reading a key file fails with a checked {@link
 * io.github.edgenet.core.identity.KeyFileException} naming the reason.
 */
package io.github.edgenet.core.identity;
