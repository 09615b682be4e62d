package io.neurograph.contracts.system;

/**
 * {@code subscribed}: the subscription is active.
 *
 * @param cursor the position live delivery starts after, when known
 * @param resumed present when {@code since} was given: whether delivery resumes exactly after it
 */
public record Subscribed(String topic, boolean success, String cursor, Boolean resumed) {}
