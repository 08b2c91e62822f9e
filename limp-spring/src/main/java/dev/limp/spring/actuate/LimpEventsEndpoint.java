package dev.limp.spring.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code limpevents} Actuator endpoint ({@code /actuator/limpevents}): limp's last decisions, oldest
 * first, from a {@link LimpEventLog}; {@code /actuator/limpevents/{feature}} keeps those about one feature
 * (or an override of it). A separate id, as resilience4j's {@code circuitbreakerevents}: under
 * {@code /actuator/limp/}, a sub-path would be read as a feature's name. Read-only. Thread-safe.
 */
@Endpoint(id = "limpevents")
public class LimpEventsEndpoint {
  private final String instance;
  private final LimpEventLog log;

  public LimpEventsEndpoint(String instance, LimpEventLog log) {
    this.instance = instance;
    this.log = log;
  }

  /** Every kept decision. */
  @ReadOperation
  public Map<String, Object> events() {
    return body(log.entries());
  }

  /** The kept decisions about one feature; none for a name limp does not know. */
  @ReadOperation
  public Map<String, Object> events(@Selector String feature) {
    return body(log.entries().stream().filter(e -> feature.equals(e.get("feature"))).toList());
  }

  private Map<String, Object> body(List<Map<String, Object>> events) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("instance", instance);
    body.put("capacity", log.capacity());
    body.put("recorded", log.recorded());
    body.put("events", events);
    return body;
  }
}
