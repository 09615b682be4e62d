package io.neurograph.graph.path;

/**
 * How much work one {@link PathSearch#find} may do before it answers with what it has and
 * {@code truncated = true}.
 *
 * @param maxVisited most distinct tokens the search may hold in memory (both search directions together)
 * @param maxSteps most edges the path enumeration may follow, over all path lengths together
 */
public record PathLimits(int maxVisited, long maxSteps) {

  /** The bounds a search uses unless told otherwise: 200,000 tokens, 1,000,000 steps. */
  public static final PathLimits DEFAULT = new PathLimits(200_000, 1_000_000L);

  /** Rejects bounds that would stop every search before it starts. */
  public PathLimits {
    // Source and target alone are two tokens.
    if (maxVisited < 2) {
      throw new IllegalArgumentException("maxVisited must be at least 2, was " + maxVisited);
    }
    if (maxSteps < 1) {
      throw new IllegalArgumentException("maxSteps must be positive, was " + maxSteps);
    }
  }
}
