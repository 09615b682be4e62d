package io.neurograph.graph.store;

import io.neurograph.contracts.graph.Neighbor;
import java.util.List;

/**
 * One {@code graph.neighbors} answer from the database.
 *
 * @param neighbors the edges within the limit, in (created_at, connection_id) order
 * @param total every matching edge, counted by the same statement
 */
public record NeighborPage(List<Neighbor> neighbors, long total) {}
