package dev.limp.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Named daemon threads, so a thread dump says whose they are, and limp never keeps a JVM alive. */
final class LimpThreads implements ThreadFactory {
  private static final Logger LOG = LoggerFactory.getLogger(LimpThreads.class);

  private final String prefix;
  private final AtomicInteger count = new AtomicInteger();

  LimpThreads(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public Thread newThread(Runnable task) {
    int n = count.incrementAndGet();
    Thread thread = new Thread(task, n == 1 ? prefix : prefix + "-" + n);
    thread.setDaemon(true);
    thread.setUncaughtExceptionHandler((t, e) -> LOG.error("limp thread {} died", t.getName(), e));
    return thread;
  }
}
