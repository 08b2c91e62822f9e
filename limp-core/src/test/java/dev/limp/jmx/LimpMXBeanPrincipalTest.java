package dev.limp.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.Limp;
import dev.limp.OperatorOverride;
import dev.limp.Tier;
import dev.limp.testing.FakeClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.PrivilegedExceptionAction;
import java.util.List;
import java.util.concurrent.Callable;
import javax.management.remote.JMXPrincipal;
import javax.security.auth.Subject;
import org.junit.jupiter.api.Test;

/**
 * Operations name their caller by its JMX principal. A remote JMX connector runs each call as the
 * authenticated {@link Subject}; here the test does the same around a generic {@code MBeanServer.invoke}.
 * Runs on JDK 17 ({@code Subject.doAs} with the access-control context) and on JDK 18+ ({@code Subject.callAs},
 * the only one that carries the subject on JDK 23+).
 */
class LimpMXBeanPrincipalTest {
  private final FakeClock clock = new FakeClock();

  private Limp start() {
    return Limp.builder()
        .name(JmxClient.uniqueName("principal"))
        .clock(clock)
        .governorThread(false)
        .registerMBean(true)
        .feature("chat.post", Tier.CRITICAL_PLUS)
        .feature("search", Tier.SHEDDABLE)
        .build();
  }

  private static Subject subjectOf(String... names) {
    Subject subject = new Subject();
    for (String name : names) {
      subject.getPrincipals().add(new JMXPrincipal(name));
    }
    return subject;
  }

  /**
   * Runs the action as the subject with whichever API this JDK has, looked up reflectively:
   * {@code Subject.callAs} (JDK 18+) or {@code Subject.doAs} (JDK 17).
   */
  private static Object runAs(Subject subject, Callable<Object> action) throws Exception {
    Method method;
    Object argument;
    try {
      method = Subject.class.getMethod("callAs", Subject.class, Callable.class);
      argument = action;
    } catch (NoSuchMethodException jdk17) {
      method = Subject.class.getMethod("doAs", Subject.class, PrivilegedExceptionAction.class);
      argument = (PrivilegedExceptionAction<Object>) action::call;
    }
    try {
      return method.invoke(null, subject, argument);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      // callAs wraps in CompletionException, doAs in PrivilegedActionException: report the action's own
      throw cause.getCause() instanceof Exception ? (Exception) cause.getCause() : (Exception) cause;
    }
  }

  @Test
  void recordsTheJmxPrincipalOfTheCallerAsTheActor() throws Exception {
    try (Limp limp = start()) {
      JmxClient jmx = new JmxClient(LimpJmx.objectName(limp.name()));

      runAs(subjectOf("alice"), () -> jmx.invoke("shedFeature", "search", 600, "search scans messages"));

      OperatorOverride override = limp.overrides().active().get(0);
      assertEquals("jmx:alice", override.actor());
      assertTrue(jmx.overrides()[0].contains("by jmx:alice"), jmx.overrides()[0]);
      assertTrue(((String) jmx.feature("search").get("reason")).contains("by jmx:alice"));
    }
  }

  @Test
  void namesEveryPrincipalOfTheSubjectInOrder() throws Exception {
    try (Limp limp = start()) {
      JmxClient jmx = new JmxClient(LimpJmx.objectName(limp.name()));

      runAs(subjectOf("ops-bob", "alice"), () -> jmx.invoke("forceLevel", "SHED_SHEDDABLE", 600, "storage"));

      assertEquals("jmx:alice,ops-bob", limp.overrides().active().get(0).actor());
    }
  }

  @Test
  void aSubjectWithoutPrincipalsIsRecordedAsJmx() throws Exception {
    try (Limp limp = start()) {
      JmxClient jmx = new JmxClient(LimpJmx.objectName(limp.name()));

      runAs(subjectOf(), () -> jmx.invoke("pinFeature", "search", 600, "needed"));

      assertEquals(List.of("jmx"), limp.overrides().active().stream().map(OperatorOverride::actor).toList());
    }
  }

  @Test
  void withoutASubjectTheActorIsJmx() throws Exception {
    try (Limp limp = start()) {
      JmxClient jmx = new JmxClient(LimpJmx.objectName(limp.name()));

      jmx.invoke("shedFeature", "search", 600, "search scans messages");

      assertEquals("jmx", limp.overrides().active().get(0).actor());
      assertEquals("jmx", LimpMXBeanAdapter.principal());
    }
  }

  @Test
  void principalLookupAnswersOnThisJdkWithoutFailing() throws Exception {
    assertEquals("jmx:carol", runAs(subjectOf("carol"), LimpMXBeanAdapter::principal),
        "the principal lookup must work on JDK " + Runtime.version().feature());
  }
}
