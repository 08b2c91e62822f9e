package dev.limp.examples.chat;

import java.sql.SQLException;

/** A database error seen by the chat service, unchecked so that it crosses the service interface. */
public final class ChatStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ChatStoreException(String what, SQLException cause) {
    super(what + ": " + cause.getMessage(), cause);
  }
}
