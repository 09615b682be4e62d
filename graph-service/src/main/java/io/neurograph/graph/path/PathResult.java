package io.neurograph.graph.path;

import java.util.List;
import java.util.UUID;

/**
 * What a {@link PathSearch} found.
 *
 * @param paths simple paths as token ids from source to target inclusive, shortest first, ties in the
 *     lexicographic order of their token ids' canonical strings
 * @param truncated a work bound ({@link PathLimits}) stopped the search before it found {@code limit} paths
 *     or proved that no further path of at most {@code maxDepth} edges exists; {@code paths} are then the
 *     shortest ones it found, still shortest first
 */
public record PathResult(List<List<UUID>> paths, boolean truncated) {

  /** Copies the paths, so a result never changes after it is made. */
  public PathResult {
    paths = paths.stream().map(List::copyOf).toList();
  }
}
