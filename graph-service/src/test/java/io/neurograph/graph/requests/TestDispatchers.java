package io.neurograph.graph.requests;

import java.util.List;

/** Builds a {@link RequestDispatcher} for tests of other packages (its constructor is for Spring only). */
public final class TestDispatchers {

  private TestDispatchers() {}

  /** A dispatcher over these handlers; every graph request type needs one. */
  public static RequestDispatcher of(List<RequestHandler<?>> handlers) {
    return new RequestDispatcher(handlers);
  }
}
