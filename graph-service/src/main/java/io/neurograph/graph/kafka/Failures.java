package io.neurograph.graph.kafka;

import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Which failures are the infrastructure's (wait and retry forever) rather than the record's. */
public final class Failures {

  /**
   * SQLSTATE classes that say "the database cannot do it right now": invalid transaction state (e.g. a
   * read-only replica during fail-over), connection exception, transaction rollback (serialization,
   * deadlock), insufficient resources, object not in prerequisite state (lock not available), operator
   * intervention (shutdown, cancel), system error. Anything else the database said is about the data.
   */
  private static final Set<String> TRANSIENT_SQL_STATE_CLASSES = Set.of("25", "08", "40", "53", "55", "57", "58");

  private Failures() {}

  /** Whether the failure says "database or Kafka unreachable, busy or slow". */
  public static boolean isTransient(Throwable error) {
    // The database's own verdict, when it gave one, beats how a driver or Spring classified it: the
    // PostgreSQL driver files every unknown SQLSTATE as a "resource" failure.
    for (Throwable t = error; t != null; t = next(t)) {
      if (t instanceof R2dbcException r2dbc && r2dbc.getSqlState() != null && r2dbc.getSqlState().length() >= 2) {
        return TRANSIENT_SQL_STATE_CLASSES.contains(r2dbc.getSqlState().substring(0, 2));
      }
    }
    for (Throwable t = error; t != null; t = next(t)) {
      if (t instanceof TransientDataAccessException
          || t instanceof DataAccessResourceFailureException
          || t instanceof CannotCreateTransactionException
          || t instanceof R2dbcTransientException
          || t instanceof R2dbcNonTransientResourceException
          || t instanceof RetriableException
          || t instanceof TimeoutException
          || t instanceof ConnectException
          || t instanceof ClosedChannelException) {
        return true;
      }
    }
    return false;
  }

  /** Whether the chain contains a poison record. */
  public static boolean isPoison(Throwable error) {
    for (Throwable t = error; t != null; t = next(t)) {
      if (t instanceof PoisonRecordException) {
        return true;
      }
    }
    return false;
  }

  /** What made a record poison, for the log. */
  public static String poisonReason(Throwable error) {
    for (Throwable t = error; t != null; t = next(t)) {
      if (t instanceof PoisonRecordException) {
        return t.getMessage();
      }
    }
    return String.valueOf(error.getMessage());
  }

  private static Throwable next(Throwable t) {
    return t.getCause() == t ? null : t.getCause();
  }
}
