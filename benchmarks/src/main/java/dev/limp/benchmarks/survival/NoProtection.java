package dev.limp.benchmarks.survival;

import dev.limp.examples.chat.ChatProtection;
import dev.limp.examples.chat.ChatService;
import dev.limp.examples.chat.ProtectionContext;

/** The chat service straight on its pool: what the incidents did before anyone protected it. */
final class NoProtection implements ChatProtection {
  @Override
  public String label() {
    return "none";
  }

  @Override
  public Protected protect(ProtectionContext context) {
    ChatService chat = context.serviceOver(context.pool());
    return new Protected() {
      @Override
      public ChatService service() {
        return chat;
      }

      @Override
      public String shedSummary() {
        return "unprotected";
      }

      @Override
      public boolean allRestored() {
        return true;
      }

      @Override
      public void close() {
      }
    };
  }
}
