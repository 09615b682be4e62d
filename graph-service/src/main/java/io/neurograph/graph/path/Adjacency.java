package io.neurograph.graph.path;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import reactor.core.publisher.Mono;

/**
 * Where {@link PathSearch} reads edges: one breadth-first level at a time, so a search costs one query
 * per level rather than one per token. A path may walk an edge from source to target, and also from
 * target to source when the edge is bidirectional.
 */
public interface Adjacency {

  /** For each given token that has any: the tokens one walkable edge leads to. */
  Mono<Map<UUID, Set<UUID>>> successors(Collection<UUID> tokens);

  /** For each given token that has any: the tokens one walkable edge leads from. */
  Mono<Map<UUID, Set<UUID>>> predecessors(Collection<UUID> tokens);
}
