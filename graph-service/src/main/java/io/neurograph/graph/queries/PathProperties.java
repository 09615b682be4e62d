package io.neurograph.graph.queries;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How much work one {@code graph.path} search may do before it answers with what it found and
 * {@code truncated: true}.
 *
 * @param maxVisited most distinct tokens one search may hold in memory
 * @param maxSteps most edges one search's path enumeration may follow
 */
@Validated
@ConfigurationProperties("neurograph.graph.path")
public record PathProperties(
    @DefaultValue("200000") @Min(2) @Max(10_000_000) int maxVisited,
    @DefaultValue("1000000") @Min(1) @Max(1_000_000_000) long maxSteps) {}
