package io.github.edgenet.lora.pool;

import java.util.List;
import java.util.function.Consumer;

/**
 * How the pool calls its listeners: every one gets its turn even if an earlier one throws; then
 * the first exception propagates, the later ones suppressed into it. Stateless.
 */
final class EachThenThrow {
  private EachThenThrow() {}

  /**
   * Applies {@code action} to every item in order, then rethrows the first runtime exception.
   *
   * @param items the items, in the order to handle them
   * @param action what to do with each
   * @param <T> the item type
   */
  static <T> void forEach(List<T> items, Consumer<? super T> action) {
    RuntimeException failure = null;
    for (T item : items) {
      try {
        action.accept(item);
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
