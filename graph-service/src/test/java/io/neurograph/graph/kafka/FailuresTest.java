package io.neurograph.graph.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcBadGrammarException;
import java.util.concurrent.TimeoutException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.junit.jupiter.api.Test;
import reactor.core.Exceptions;

class FailuresTest {

  @Test
  void infrastructureTroubleIsTransientWhereverItIsWrapped() {
    assertThat(Failures.isTransient(new DataAccessResourceFailureException("db down"))).isTrue();
    assertThat(Failures.isTransient(new CannotCreateTransactionException("no connection"))).isTrue();
    assertThat(Failures.isTransient(new R2dbcNonTransientResourceException("connection refused"))).isTrue();
    assertThat(Failures.isTransient(wrapped(Exceptions.propagate(new TimeoutException("slow"))))).isTrue();
    assertThat(Failures.isTransient(wrapped(new org.apache.kafka.common.errors.TimeoutException("kafka")))).isTrue();
  }

  @Test
  void bugsAndBadDataAreNot() {
    assertThat(Failures.isTransient(wrapped(new IllegalStateException("bug")))).isFalse();
    assertThat(Failures.isTransient(new DuplicateKeyException("race"))).isFalse();
    assertThat(Failures.isTransient(new R2dbcBadGrammarException("sql"))).isFalse();
  }

  @Test
  void theDatabasesSqlStateDecides() {
    assertThat(Failures.isTransient(new DataAccessResourceFailureException("wrapped",
        new R2dbcNonTransientResourceException("admin shutdown", "57P01")))).isTrue();
    assertThat(Failures.isTransient(new R2dbcNonTransientResourceException("serialization", "40001"))).isTrue();
    assertThat(Failures.isTransient(new DataAccessResourceFailureException("wrapped",
        new R2dbcNonTransientResourceException("program limit exceeded", "54000")))).isFalse();
    assertThat(Failures.isTransient(new R2dbcBadGrammarException("unsupported Unicode escape", "22P05"))).isFalse();
  }

  @Test
  void poisonIsRecognizedThroughTheListenerWrapper() {
    assertThat(Failures.isPoison(wrapped(new PoisonRecordException("bad", null)))).isTrue();
    assertThat(Failures.isPoison(wrapped(new IllegalStateException()))).isFalse();
  }

  private static Exception wrapped(Throwable cause) {
    return new ListenerExecutionFailedException("listener failed", cause);
  }
}
