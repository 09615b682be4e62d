package io.neurograph.contracts;

/** One validation problem: the payload field (dotted path) and what is wrong with it. */
public record FieldProblem(String field, String problem) {}
