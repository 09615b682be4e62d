package io.neurograph.graph.queries;

import io.neurograph.graph.path.DatabaseAdjacency;
import io.neurograph.graph.path.PathLimits;
import io.neurograph.graph.path.PathSearch;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/** The path search over the {@code edges} table, with the configured work bounds. */
@Configuration(proxyBeanMethods = false)
class PathConfiguration {

  @Bean
  DatabaseAdjacency databaseAdjacency(DatabaseClient db) {
    return new DatabaseAdjacency(db);
  }

  @Bean
  PathSearch pathSearch(DatabaseAdjacency adjacency, PathProperties properties) {
    return new PathSearch(adjacency, new PathLimits(properties.maxVisited(), properties.maxSteps()));
  }
}
