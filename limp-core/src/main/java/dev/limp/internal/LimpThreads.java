package dev.limp.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
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

  /**
   * Stops an executor of limp's within a bound: lets the task in progress finish for up to
   * {@code timeoutMillis}, then interrupts it and drops what is queued. A thread stuck in work that ignores
   * interrupts is left to die on its own (it is a daemon), with a warning naming it.
   *
   * @return how many queued tasks were dropped
   */
  static int stop(ExecutorService executor, long timeoutMillis, String instance, String what) {
    executor.shutdown();
    try {
      if (executor.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) {
        return 0;
      }
      int dropped = executor.shutdownNow().size();
      if (!executor.awaitTermination(Math.min(timeoutMillis, 500), TimeUnit.MILLISECONDS)) {
        LOG.warn("limp[{}]: the {} thread did not stop within {} ms of being interrupted; it is a daemon and "
            + "is left to end on its own", instance, what, timeoutMillis + Math.min(timeoutMillis, 500));
      }
      return dropped;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return executor.shutdownNow().size();
    }
  }
}
